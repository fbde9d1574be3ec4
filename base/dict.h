/*
 * dict.h -- a small string -> integer map, for dictionary tables kept in
 * memory while a file loads (unit names, codes).  Keys are copied.
 */
#ifndef MC_DICT_H
#define MC_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct mc_dict mc_dict;

mc_dict *mc_dict_new(void);
void mc_dict_free(mc_dict *d);
/* 1 and *value when key[0..len) is present, else 0. */
int mc_dict_get(const mc_dict *d, const char *key, size_t len, int64_t *value);
/* Insert or replace; 0, or -1 when memory ran out. */
int mc_dict_put(mc_dict *d, const char *key, size_t len, int64_t value);
size_t mc_dict_count(const mc_dict *d);

/* A 64-bit hash of bytes, seedable: the hash the store also uses for row
 * fingerprints (so its value is stored: never change it without a
 * migration). */
uint64_t mc_hash64(const void *p, size_t n, uint64_t seed);

#endif
