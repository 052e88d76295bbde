// System calls and constants of the C library that Swift's Glibc module does not expose.
//
// _GNU_SOURCE cannot be defined here: this header's <fcntl.h> and friends would then be
// compiled with other feature macros than Swift's Glibc module (fd_set and others differ,
// and the two modules no longer agree). glibc's own spelling __O_PATH, from which
// <fcntl.h> defines O_PATH under _GNU_SOURCE, is used instead.
#ifndef VIGIL_CSYSTEM_H
#define VIGIL_CSYSTEM_H

#include <fcntl.h>
#include <malloc.h>      // mallopt(3)
#include <sys/types.h>
#include <sys/xattr.h>   // getxattr(2)
#include <unistd.h>

/// O_PATH (Linux 2.6.39): open a file only to look at it, without reading it.
static inline int vigil_o_path(void) {
#if defined(O_PATH)
    return O_PATH;
#else
    return __O_PATH;
#endif
}

/// Caps glibc's malloc arenas (mallopt M_ARENA_MAX); 1 on success.
static inline int vigil_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

/// pipe2(2), which <unistd.h> declares only under _GNU_SOURCE.
extern int pipe2(int pipefd[2], int flags);

/// A pipe whose two ends are closed on exec (no other child spawned meanwhile inherits them).
static inline int vigil_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

#endif
