#include "HeraldSystemC.h"

#if defined(__linux__)
#include <sys/epoll.h>

const uint32_t HERALD_EPOLL_IN = EPOLLIN;
const uint32_t HERALD_EPOLL_OUT = EPOLLOUT;
const uint32_t HERALD_EPOLL_ERR = EPOLLERR;
const uint32_t HERALD_EPOLL_HUP = EPOLLHUP;

int herald_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int herald_epoll_control(int epoll, int operation, int descriptor, uint32_t events, uint64_t token) {
    static const int operations[] = {EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL};
    if (operation < 0 || operation > 2) return -1;
    struct epoll_event event = {.events = events, .data = {.u64 = token}};
    return epoll_ctl(epoll, operations[operation], descriptor, &event);
}

int herald_epoll_wait(int epoll, herald_epoll_event *events, int capacity, int timeout_ms) {
    struct epoll_event kernel[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll, kernel, capacity, timeout_ms);
    for (int index = 0; index < count; index++) {
        events[index].events = kernel[index].events;
        events[index].token = kernel[index].data.u64;
    }
    return count;
}
#endif
