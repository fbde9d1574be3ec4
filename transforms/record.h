/*
 * record.h -- the canonical case record every module speaks.
 *
 * A row of any export, whatever its dialect, becomes one mc_record after
 * normalization (transforms/normalize.h).  The store keeps records as
 * versions of a case; the figures read them back.  Values here are already
 * normalized: text is NFC, trimmed and folded; dates are mc_date values;
 * codes are small integers.
 */
#ifndef MC_RECORD_H
#define MC_RECORD_H

#include <stdint.h>
#include <stddef.h>

/*
 * A date, with or without a time of day, as one ordered integer:
 *   days since 1970-01-01 * 100000 + (has time ? 1 + seconds of day : 0)
 * so that a date without a time sorts just before midnight of the same day
 * and is never equal to it (SPEC 1.3).  MC_DATE_NONE means empty.
 */
typedef int64_t mc_date;
#define MC_DATE_NONE INT64_MIN
#define MC_DATE_SCALE 100000

/* The day part of a date (days since 1970-01-01); d must not be NONE. */
static inline int64_t mc_date_day(mc_date d)
{
    int64_t q = d / MC_DATE_SCALE;
    return (d % MC_DATE_SCALE < 0) ? q - 1 : q;
}

/* One raw cell as the reader hands it over: bytes, not NUL-terminated,
 * valid only while the callback that received it runs. */
typedef struct mc_field {
    const char *p;
    size_t len;
} mc_field;

/* 1 when d carries a time of day. */
static inline int mc_date_has_time(mc_date d)
{
    return d - mc_date_day(d) * MC_DATE_SCALE != 0;
}

/* -1, 0 or 1 as a is earlier than, the same as, or later than b, comparing
 * as dates when either has no time of day (SPEC 1.5), so "2025-09-03" and
 * "2025-09-03 17:16" tie; an empty date sorts before every other (SPEC 2:
 * a missing updated_at sorts first). */
static inline int mc_date_cmp(mc_date a, mc_date b)
{
    if (a == MC_DATE_NONE || b == MC_DATE_NONE)
        return (a != MC_DATE_NONE) - (b != MC_DATE_NONE);
    if (!mc_date_has_time(a) || !mc_date_has_time(b)) {
        int64_t da = mc_date_day(a), db = mc_date_day(b);
        return (da > db) - (da < db);
    }
    return (a > b) - (a < b);
}

/* a earlier than b, comparing as dates when either has no time of day
 * (SPEC 1.5); 0 when either is empty. */
static inline int mc_date_before(mc_date a, mc_date b)
{
    return a != MC_DATE_NONE && b != MC_DATE_NONE && mc_date_cmp(a, b) < 0;
}

/* The canonical columns of SPEC 1.2, in SPEC order. */
typedef enum {
    MC_COL_CASE_ID,
    MC_COL_ALT_CASE_ID,
    MC_COL_UNIT_CODE,
    MC_COL_UNIT_NAME,
    MC_COL_PROCEDURE_CODE,
    MC_COL_PROCEDURE_NAME,
    MC_COL_FIELD_NAME,
    MC_COL_CHANNEL,
    MC_COL_SERVICE_LEVEL,
    MC_COL_STATUS,
    MC_COL_RECEIVED_AT,
    MC_COL_DUE_AT,
    MC_COL_NEW_DUE_AT,
    MC_COL_FINISHED_AT,
    MC_COL_RETURNED_AT,
    MC_COL_APOLOGY,
    MC_COL_APOLOGY_AT,
    MC_COL_HAS_FEE,
    MC_COL_PAID_ONLINE,
    MC_COL_DIGITIZED,
    MC_COL_E_RESULT,
    MC_COL_UPDATED_AT,
    MC_COL_FIELD_CODE,     /* SPEC 10.2: recognized, not stored (yet) */
    MC_COL_COUNT,          /* number of canonical columns */
    MC_COL_PERSONAL = 100, /* personal data: dropped, masked in rejects */
    MC_COL_UNKNOWN = 101   /* not ours: ignored, listed once per file */
} mc_col;

/* The national portal's status codes (SPEC 1.4). */
typedef enum {
    MC_STATUS_REGISTERED = 1,   /* Mới đăng ký: not yet accepted, never counted */
    MC_STATUS_ACCEPTED = 2,     /* Được tiếp nhận */
    MC_STATUS_DENIED = 3,       /* Không được tiếp nhận: never counted */
    MC_STATUS_PROCESSING = 4,   /* Đang xử lý */
    MC_STATUS_WAITING_DOCS = 5, /* Yêu cầu bổ sung giấy tờ: paused, the applicant's turn */
    MC_STATUS_WAITING_FEES = 6, /* Yêu cầu thực hiện nghĩa vụ tài chính: paused likewise */
    MC_STATUS_WITHDRAWN = 7,    /* Công dân yêu cầu rút hồ sơ: finished */
    MC_STATUS_STOPPED = 8,      /* Dừng xử lý: finished */
    MC_STATUS_RESOLVED = 9,     /* Đã xử lý xong: finished */
    MC_STATUS_RETURNED = 10     /* Đã trả kết quả: finished */
} mc_status;
#define MC_STATUS_FIRST_FINISHED MC_STATUS_WITHDRAWN /* 7..10 are finished */

/* Channels (kênh nộp); an empty cell means direct. */
typedef enum { MC_CHANNEL_DIRECT = 1, MC_CHANNEL_ONLINE = 2, MC_CHANNEL_POSTAL = 3 } mc_channel;

/* Service levels (mức độ dịch vụ công); 0 when the export does not say. */
typedef enum {
    MC_LEVEL_UNKNOWN = 0, MC_LEVEL_INFO = 2, MC_LEVEL_PARTIAL = 3, MC_LEVEL_FULL = 4
} mc_level;

/* Tri-state for flags: the column may be absent from the export. */
enum { MC_FLAG_ABSENT = -1, MC_FLAG_NO = 0, MC_FLAG_YES = 1 };

typedef struct mc_record {
    /* Text: NUL-terminated, NULL when empty.  Owned by whoever filled it. */
    const char *case_id;
    const char *alt_case_id;
    const char *unit_code;
    const char *unit_name;
    const char *procedure_code;
    const char *procedure_name;
    const char *field_name;
    int status;         /* mc_status, 1..10 */
    int channel;        /* mc_channel */
    int service_level;  /* mc_level */
    mc_date received_at, due_at, new_due_at, finished_at, returned_at;
    mc_date apology_at, updated_at;
    signed char apology, has_fee, paid_online, digitized, e_result; /* MC_FLAG_* */
} mc_record;

/* Why a row was quarantined (SPEC 1.3-1.5), plus the reader's own limits. */
typedef enum {
    MC_REASON_NONE = 0,
    MC_REASON_BAD_FIELD_COUNT,
    MC_REASON_BAD_UTF8,
    MC_REASON_BAD_DATE,
    MC_REASON_BAD_VALUE,
    MC_REASON_BAD_STATUS,
    MC_REASON_MISSING_CASE_ID,
    MC_REASON_FINISH_BEFORE_RECEIPT,
    MC_REASON_DUE_BEFORE_RECEIPT,
    MC_REASON_MISSING_FINISH_DATE,
    MC_REASON_MISSING_UNIT,
    MC_REASON_ROW_TOO_LARGE,     /* a field or row past the reader's limits */
    MC_REASON_UNTERMINATED_QUOTE,/* a quote still open at the end of the file */
    MC_REASON_REPEATED_HEADER,   /* the header line again, mid-file */
    MC_REASON_BAD_ENCODING,      /* bytes that did not convert to UTF-8 (SPEC 10.3) */
    MC_REASON_COUNT
} mc_reason;

/* The reason's code as written in reports ("bad_date", ...). */
const char *mc_reason_name(mc_reason r);

/* The canonical column's name as in SPEC 1.2 ("received_at", ...), or
 * "personal"/"unknown" for the two pseudo-columns. */
const char *mc_col_name(mc_col c);

#endif
