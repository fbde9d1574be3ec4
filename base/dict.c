/*
 * dict.c -- open-addressing string map; see dict.h.
 */
#include "base/dict.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;
    size_t len;
    uint64_t hash;
    int64_t value;
} slot;

struct mc_dict {
    slot *slots;
    size_t cap, count;
};

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Eight bytes a step: the fingerprint of every row goes through here. */
uint64_t mc_hash64(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t k;
        memcpy(&k, s, 8);
        h = (h ^ mix64(k)) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t k = 0;
        memcpy(&k, s, n);
        h = (h ^ mix64(k ^ 0xa0761d6478bd642fULL)) * 0x9e3779b97f4a7c15ULL;
    }
    return mix64(h);
}

mc_dict *mc_dict_new(void)
{
    mc_dict *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->cap = 64;
    d->slots = calloc(d->cap, sizeof *d->slots);
    if (!d->slots) {
        free(d);
        return NULL;
    }
    return d;
}

void mc_dict_free(mc_dict *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->cap; i++)
        free(d->slots[i].key);
    free(d->slots);
    free(d);
}

static slot *find(const mc_dict *d, const char *key, size_t len, uint64_t h)
{
    size_t mask = d->cap - 1, i = (size_t)h & mask;
    for (;;) {
        slot *s = &d->slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & mask;
    }
}

int mc_dict_get(const mc_dict *d, const char *key, size_t len, int64_t *value)
{
    slot *s = find(d, key, len, mc_hash64(key, len, 0));
    if (!s->key)
        return 0;
    *value = s->value;
    return 1;
}

static int grow(mc_dict *d)
{
    size_t ncap = d->cap * 2;
    slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    mc_dict old = *d;
    d->slots = ns;
    d->cap = ncap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *find(d, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
    free(old.slots);
    return 0;
}

int mc_dict_put(mc_dict *d, const char *key, size_t len, int64_t value)
{
    if ((d->count + 1) * 4 > d->cap * 3 && grow(d) != 0)
        return -1;
    uint64_t h = mc_hash64(key, len, 0);
    slot *s = find(d, key, len, h);
    if (!s->key) {
        s->key = malloc(len + 1);
        if (!s->key)
            return -1;
        memcpy(s->key, key, len);
        s->key[len] = '\0';
        s->len = len;
        s->hash = h;
        d->count++;
    }
    s->value = value;
    return 0;
}

size_t mc_dict_count(const mc_dict *d)
{
    return d->count;
}
