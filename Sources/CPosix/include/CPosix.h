#ifndef CREDFOLIO_CPOSIX_H
#define CREDFOLIO_CPOSIX_H

/// The few POSIX and Linux calls Swift cannot reach on its own: O_TMPFILE
/// is a macro Swift does not import, and a signal handler that removes a
/// file must be async-signal-safe C.

/// Opens an unnamed file in `folder` for reading and writing, with `mode`:
/// it has no name until `credfolio_link_unnamed` gives it one, and vanishes
/// if the process dies first. -1 with errno when the file system cannot.
int credfolio_open_unnamed(const char *folder, unsigned int mode);

/// Gives the unnamed file `fd` the name `path` (which must not exist).
/// 0, or -1 with errno.
int credfolio_link_unnamed(int fd, const char *path);

/// Exchanges the files `a` and `b` in one step (Linux renameat2 with
/// RENAME_EXCHANGE, which glibc declares only under _GNU_SOURCE): each
/// name then holds what the other held. Both must exist. 0, or -1 with
/// errno (EINVAL where the file system cannot).
int credfolio_exchange(const char *a, const char *b);

/// Until `credfolio_forget_on_signal`, SIGINT, SIGTERM and SIGHUP remove
/// `path` before the process ends by that signal. At most 4,095 bytes.
void credfolio_remove_on_signal(const char *path);
void credfolio_forget_on_signal(void);

/// Blocks (1) or unblocks (0) SIGINT, SIGTERM and SIGHUP for the thread:
/// around the few calls that must not be cut in half.
void credfolio_hold_signals(int hold);

/// Ends the process the way a closed pipe does (SIGPIPE, as `git log | head`),
/// even when the parent left SIGPIPE ignored.
void credfolio_end_by_broken_pipe(void) __attribute__((noreturn));

/// From here on, SIGINT, SIGTERM and SIGHUP do not end the process: they
/// are noted, for `credfolio_interrupt_requested` to report (the signal's
/// number, or 0), so that work in progress can stop at a point where what
/// it wrote is whole. `credfolio_end_by_signal` then ends the process as
/// that signal would have. The three are unblocked for the calling thread
/// (and the threads it starts later), should the process have inherited
/// them blocked.
void credfolio_defer_interrupts(void);
int credfolio_interrupt_requested(void);
void credfolio_end_by_signal(int signal_number) __attribute__((noreturn));

#endif
