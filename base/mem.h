/*
 * mem.h -- growing a buffer by doubling, the one way every module does it.
 */
#ifndef MC_MEM_H
#define MC_MEM_H

#include <stddef.h>

/*
 * buf grown to hold at least need (>= 1) elements of size sz, its capacity
 * doubled from *cap (16 when 0) until it does; *cap updated.  Returns the
 * buffer (moved or not), or NULL with buf and *cap untouched when memory
 * ran out or the size does not fit a size_t.
 */
void *mc_mem_grow(void *buf, size_t *cap, size_t need, size_t sz);

#endif
