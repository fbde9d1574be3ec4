/*
 * record.c -- names of columns and reasons; see record.h.
 */
#include "transforms/record.h"

static const char *const col_names[MC_COL_COUNT] = {
    "case_id", "alt_case_id", "unit_code", "unit_name", "procedure_code",
    "procedure_name", "field_name", "channel", "service_level", "status",
    "received_at", "due_at", "new_due_at", "finished_at", "returned_at",
    "apology", "apology_at", "has_fee", "paid_online", "digitized",
    "e_result", "updated_at", "field_code",
};

static const char *const reason_names[MC_REASON_COUNT] = {
    "", "bad_field_count", "bad_utf8", "bad_date", "bad_value", "bad_status",
    "missing_case_id", "finish_before_receipt", "due_before_receipt",
    "missing_finish_date", "missing_unit", "row_too_large",
    "unterminated_quote", "repeated_header", "bad_encoding",
};

const char *mc_col_name(mc_col c)
{
    if (c == MC_COL_PERSONAL)
        return "personal";
    if ((unsigned)c < MC_COL_COUNT)
        return col_names[c];
    return "unknown";
}

const char *mc_reason_name(mc_reason r)
{
    return (unsigned)r < MC_REASON_COUNT ? reason_names[r] : "unknown";
}
