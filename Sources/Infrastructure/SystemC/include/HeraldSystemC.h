#ifndef HERALD_SYSTEM_C_H
#define HERALD_SYSTEM_C_H

// The few Linux system interfaces Swift's Glibc module does not export: epoll, for the event loop in
// HeraldSockets. Each is a plain pass-through, so errors come back through errno as usual.
#if defined(__linux__)
#include <stdint.h>

/// One readiness event: which registration it is for, and the events (HERALD_EPOLL_* bits).
typedef struct herald_epoll_event {
    uint32_t events;
    uint64_t token;
} herald_epoll_event;

extern const uint32_t HERALD_EPOLL_IN;
extern const uint32_t HERALD_EPOLL_OUT;
extern const uint32_t HERALD_EPOLL_ERR;
extern const uint32_t HERALD_EPOLL_HUP;

/// epoll_create1(EPOLL_CLOEXEC).
int herald_epoll_create(void);
/// epoll_ctl with EPOLL_CTL_ADD, EPOLL_CTL_MOD or EPOLL_CTL_DEL (operation 0, 1, 2).
int herald_epoll_control(int epoll, int operation, int descriptor, uint32_t events, uint64_t token);
/// epoll_wait into `events`, converted from the kernel's (packed on x86_64) layout.
int herald_epoll_wait(int epoll, herald_epoll_event *events, int capacity, int timeout_ms);
#endif

#endif
