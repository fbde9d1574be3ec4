/*
 * mem.c -- growing buffers; see mem.h.
 */
#include "base/mem.h"

#include <stdint.h>
#include <stdlib.h>

void *mc_mem_grow(void *buf, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap && buf)
        return buf;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return NULL;
        c *= 2;
    }
    if (sz && c > SIZE_MAX / sz)
        return NULL;
    void *nb = realloc(buf, c * sz);
    if (nb)
        *cap = c;
    return nb;
}
