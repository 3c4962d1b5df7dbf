#define _GNU_SOURCE
#include "CPosix.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int credfolio_open_unnamed(const char *folder, unsigned int mode) {
#ifdef O_TMPFILE
    return open(folder, O_TMPFILE | O_RDWR | O_CLOEXEC, (mode_t)mode);
#else
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int credfolio_link_unnamed(int fd, const char *path) {
    char source[64];
    snprintf(source, sizeof source, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, source, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

int credfolio_exchange(const char *a, const char *b) {
#ifdef RENAME_EXCHANGE
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = EINVAL;
    return -1;
#endif
}

static char pending_path[4096];
static volatile sig_atomic_t pending = 0;

static void remove_and_reraise(int signal_number) {
    if (pending) unlink(pending_path);
    pending = 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigaction(signal_number, &action, NULL);
    raise(signal_number);
}

/* Installs `handler` for SIGINT, SIGTERM and SIGHUP. */
static void handle_interrupts(void (*handler)(int)) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

void credfolio_remove_on_signal(const char *path) {
    size_t length = strlen(path);
    if (length >= sizeof pending_path) return;
    pending = 0;
    memcpy(pending_path, path, length + 1);
    pending = 1;
    handle_interrupts(remove_and_reraise);
}

void credfolio_forget_on_signal(void) { pending = 0; }

void credfolio_hold_signals(int hold) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void credfolio_end_by_signal(int signal_number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigaction(signal_number, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal_number);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(signal_number);
    _exit(128 + signal_number);
}

void credfolio_end_by_broken_pipe(void) { credfolio_end_by_signal(SIGPIPE); }

static volatile sig_atomic_t interrupt_signal = 0;

static void note_interrupt(int signal_number) { interrupt_signal = signal_number; }

void credfolio_defer_interrupts(void) {
    handle_interrupts(note_interrupt);
    /* A process may start with them blocked, inherited from the one that
       launched it (Foundation's Process does so): noted means received. */
    credfolio_hold_signals(0);
}

int credfolio_interrupt_requested(void) { return interrupt_signal; }
