/*
 * A disassembler plugin for HotSpot's -XX:+PrintAssembly, on Debian's Capstone (x86-64 only):
 * HotSpot loads hsdis-amd64.so and calls decode_instructions_virtual for each range of code it
 * prints. Written for Airlock's measurements (bench/tools/asm-profile/README); build.sh compiles it.
 * The JVM decides which code to print; this only turns bytes into text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <capstone/capstone.h>

typedef void *(*event_fn)(void *, const char *, void *);
typedef int (*print_fn)(void *, const char *, ...);

static void *no_event(void *stream, const char *event, void *arg) {
    (void) stream; (void) event; (void) arg;
    return NULL;
}

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
                                  uintptr_t length, event_fn event, void *event_stream,
                                  print_fn print, void *print_stream, const char *options,
                                  int newline) {
    (void) end_va; (void) options;
    csh handle;
    cs_insn *insns;
    if (print == NULL) {
        print = (print_fn) fprintf;
        if (print_stream == NULL) print_stream = stdout;
    }
    if (event == NULL) event = no_event;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return NULL;
    cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
    cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON);
    size_t count = cs_disasm(handle, buffer, length, (uint64_t) start_va, 0, &insns);
    for (size_t i = 0; i < count; i++) {
        event(event_stream, "insn", (void *) (uintptr_t) insns[i].address);
        print(print_stream, "%s\t%s", insns[i].mnemonic, insns[i].op_str);
        event(event_stream, "/insn", (void *) (uintptr_t) (insns[i].address + insns[i].size));
        if (newline) print(print_stream, "\n");
    }
    if (count > 0) cs_free(insns, count);
    cs_close(&handle);
    return NULL;
}
