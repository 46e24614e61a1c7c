/*
 * Runs a fuzz target without libFuzzer: every argument is one input, or a
 * directory of them, fed to LLVMFuzzerTestOneInput once. For builds that
 * libFuzzer cannot make, such as `make coverage` (gcc --coverage). A failed
 * check aborts, as under libFuzzer; otherwise the exit status is 0 and the
 * last line says how many inputs ran.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long inputs;

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0, n;
    do {
        if (size == cap) {
            cap = cap ? cap * 2u : 4096u;
            buf = realloc(buf, cap);
            if (buf == NULL)
                exit(2);
        }
        n = fread(buf + size, 1, cap - size, f);
        size += n;
    } while (n > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, size);
    free(buf);
    inputs++;
}

static void run_path(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        run_file(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2u;
        char *full = malloc(len);
        if (full == NULL)
            exit(2);
        snprintf(full, len, "%s/%s", path, e->d_name);
        run_file(full);
        free(full);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        run_path(argv[i]);
    printf("%lu inputs passed\n", inputs);
    return 0;
}
