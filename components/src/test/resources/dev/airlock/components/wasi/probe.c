// A WASI command that exercises what a WASI 0.2 host gives a C program through the preview-1
// adapter: arguments, environment, standard streams, clocks, randomness, files and folders, exit.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int files(const char *dir) {
    char path[256], buf[64];
    snprintf(path, sizeof path, "%s/sub", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) { printf("mkdir: %s\n", strerror(errno)); return 1; }
    snprintf(path, sizeof path, "%s/sub/note.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f) { printf("open for writing: %s\n", strerror(errno)); return 1; }
    fprintf(f, "written by a component\n");
    fclose(f);
    struct stat st;
    if (stat(path, &st) != 0) { printf("stat: %s\n", strerror(errno)); return 1; }
    printf("size %lld\n", (long long) st.st_size);
    f = fopen(path, "r");
    if (!f || !fgets(buf, sizeof buf, f)) { printf("read back failed\n"); return 1; }
    fclose(f);
    printf("read back: %s", buf);
    char moved[256];
    snprintf(moved, sizeof moved, "%s/sub/moved.txt", dir);
    if (rename(path, moved) != 0) { printf("rename: %s\n", strerror(errno)); return 1; }
    snprintf(path, sizeof path, "%s/sub", dir);
    DIR *d = opendir(path);
    if (!d) { printf("opendir: %s\n", strerror(errno)); return 1; }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') printf("entry %s\n", e->d_name);
    }
    closedir(d);
    if (unlink(moved) != 0) { printf("unlink: %s\n", strerror(errno)); return 1; }
    if (rmdir(path) != 0) { printf("rmdir: %s\n", strerror(errno)); return 1; }
    int fd = open(dir, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    printf("reading a folder: %s\n", n < 0 ? strerror(errno) : "no error");
    if (fd >= 0) close(fd);
    printf("files ok\n");
    return 0;
}

int main(int argc, char **argv) {
    printf("args:");
    for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
    printf("\n");
    const char *g = getenv("GREETING");
    printf("GREETING=%s\n", g ? g : "(unset)");
    fprintf(stderr, "a line on stderr\n");
    char line[128];
    errno = 0;
    if (fgets(line, sizeof line, stdin)) printf("stdin: %s", line);
    else printf("stdin: %s\n", ferror(stdin) ? strerror(errno) : "(empty)");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("realtime %lld\n", (long long) ts.tv_sec);
    struct timespec m1, m2;
    clock_gettime(CLOCK_MONOTONIC, &m1);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    printf("monotonic %s\n", (m2.tv_sec > m1.tv_sec || (m2.tv_sec == m1.tv_sec && m2.tv_nsec >= m1.tv_nsec)) ? "ok" : "backwards");
    unsigned char r[8];
    if (getentropy(r, sizeof r) == 0) {
        printf("random");
        for (int i = 0; i < 8; i++) printf(" %02x", r[i]);
        printf("\n");
    } else printf("random: %s\n", strerror(errno));
    const char *dir = argc > 1 && strcmp(argv[1], "files") == 0 ? (argc > 2 ? argv[2] : "/data") : NULL;
    if (dir && files(dir)) return 1;
    FILE *secret = fopen("/etc/passwd", "r");
    printf("/etc/passwd: %s\n", secret ? "opened" : strerror(errno));
    const char *code = getenv("EXIT");
    return code ? atoi(code) : 0;
}
