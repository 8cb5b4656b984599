/*
 * airlock-client: hands a command line to Airlock's resident process and relays its answer.
 *
 *   airlock-client SOCKET FIRST COMMAND...
 *
 * COMMAND... is the command line that runs Airlock in a process of its own (java ... Main ARGS);
 * its arguments from index FIRST on are Airlock's own (run, py or js and theirs). The client sends
 * them, its working folder, its umask and its environment to the resident process on the Unix
 * domain socket SOCKET (protocol: cli/src/main/java/dev/airlock/cli/resident/Wire.java), writes
 * the frames that come back to its standard output and error, and exits with the status that
 * comes last. It runs COMMAND itself instead (execvp) when SOCKET's folder is not this user's
 * alone (a folder another user could have made), when nothing answers on SOCKET (a stale socket is
 * removed, so the next launcher starts a new resident process), and when the resident process
 * answers that it does not serve this command line (among others, one whose umask is not the
 * resident process's). Build: cc -O2 -o airlock-client airlock-client.c
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

static char **fallback_argv;

static void fallback(void) {
  execvp(fallback_argv[0], fallback_argv);
  fprintf(stderr, "airlock: cannot start %s: %s\n", fallback_argv[0], strerror(errno));
  exit(70);
}

/* SOCKET's folder: a real folder of this user, closed to everyone else */
static int private_folder(const char *socket_path) {
  char dir[PATH_MAX];
  size_t n = strlen(socket_path);
  if (n >= sizeof dir) return 0;
  memcpy(dir, socket_path, n + 1);
  char *slash = strrchr(dir, '/');
  if (slash == NULL || slash == dir) return 0;
  *slash = '\0';
  struct stat st;
  if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
  if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) return 0;
  if (lstat(socket_path, &st) != 0 || !S_ISSOCK(st.st_mode) || st.st_uid != geteuid()) return 0;
  return 1;
}

struct buf {
  char *data;
  size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) cap *= 2;
    char *d = realloc(b->data, cap);
    if (d == NULL) fallback();
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void put_string(struct buf *b, const char *s) { put(b, s, strlen(s) + 1); }

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* 1 when n bytes were read, 0 at the end of the stream before any, -1 otherwise */
static int read_all(int fd, char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) return got == 0 ? 0 : -1;
    got += (size_t)r;
  }
  return 1;
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: airlock-client SOCKET FIRST COMMAND...\n");
    return 2;
  }
  const char *socket_path = argv[1];
  fallback_argv = argv + 3;
  int count = argc - 3;
  char *end;
  long first = strtol(argv[2], &end, 10);
  if (*end != '\0' || first < 0 || first > count) {
    fprintf(stderr, "airlock-client: FIRST must be an index into COMMAND\n");
    return 2;
  }

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(socket_path) >= sizeof addr.sun_path || !private_folder(socket_path)) fallback();
  strcpy(addr.sun_path, socket_path);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) fallback();
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    if (errno == ECONNREFUSED) unlink(socket_path); /* its process is gone */
    close(fd);
    fallback();
  }

  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == NULL) {
    close(fd);
    fallback();
  }
  struct buf body = {0};
  char number[32];
  put_string(&body, cwd);
  mode_t mask = umask(0);
  umask(mask);
  snprintf(number, sizeof number, "%o", (unsigned)mask);
  put_string(&body, number);
  snprintf(number, sizeof number, "%ld", (long)(count - first));
  put_string(&body, number);
  for (int i = (int)first; i < count; i++) put_string(&body, fallback_argv[i]);
  for (char **e = environ; *e != NULL; e++) put_string(&body, *e);
  unsigned char head[8] = {'A', 'L', 'R', '2', (unsigned char)(body.len >> 24),
                           (unsigned char)(body.len >> 16), (unsigned char)(body.len >> 8),
                           (unsigned char)body.len};
  if (write_all(fd, (char *)head, sizeof head) != 0 || write_all(fd, body.data, body.len) != 0) {
    close(fd);
    fallback();
  }
  free(body.data);

  static char data[1 << 16];
  int frames = 0;
  for (;;) {
    unsigned char frame[5];
    if (read_all(fd, (char *)frame, sizeof frame) != 1) break;
    uint32_t len = be32(frame + 1);
    if (frame[0] == 'f' && frames == 0) {
      close(fd);
      fallback();
    }
    if (frame[0] == 'x') {
      unsigned char status[4];
      if (len != 4 || read_all(fd, (char *)status, 4) != 1) break;
      return (int)be32(status) & 0xff;
    }
    int out = frame[0] == 'o' ? 1 : frame[0] == 'e' ? 2 : -1;
    if (out < 0) break;
    frames++;
    while (len > 0) {
      size_t n = len < sizeof data ? len : sizeof data;
      if (read_all(fd, data, n) != 1) goto gone;
      write_all(out, data, n); /* as a process would: output that cannot be written is lost */
      len -= (uint32_t)n;
    }
  }
gone:
  fprintf(stderr, "airlock: internal error: the resident process stopped during the run\n");
  return 70;
}
