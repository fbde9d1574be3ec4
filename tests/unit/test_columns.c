/*
 * test_columns.c -- every header alias of SPEC 1.2 (and the ones added in
 * columns.c), in NFC and NFD, with case, space and underscore variants;
 * personal-data columns; unknown columns.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "transforms/columns.h"

static mc_col look(const char *s)
{
    return mc_column_lookup(s, strlen(s));
}

static const struct {
    const char *label;
    mc_col col;
} labels[] = {
    {"case_id", MC_COL_CASE_ID},
    {"MaHoSo", MC_COL_CASE_ID},
    {"Mã hồ sơ", MC_COL_CASE_ID},
    {"Số hồ sơ", MC_COL_CASE_ID},
    {"Mã số hồ sơ", MC_COL_CASE_ID},
    {"alt_case_id", MC_COL_ALT_CASE_ID},
    {"MaHoSoKhac", MC_COL_ALT_CASE_ID},
    {"Mã hồ sơ khác", MC_COL_ALT_CASE_ID},
    {"unit_code", MC_COL_UNIT_CODE},
    {"MaDonVi", MC_COL_UNIT_CODE},
    {"Mã đơn vị", MC_COL_UNIT_CODE},
    {"MaCoQuan", MC_COL_UNIT_CODE},
    {"Mã cơ quan", MC_COL_UNIT_CODE},
    {"Mã đơn vị xử lý", MC_COL_UNIT_CODE},
    {"Mã cơ quan giải quyết", MC_COL_UNIT_CODE},
    {"unit_name", MC_COL_UNIT_NAME},
    {"DonViXuLy", MC_COL_UNIT_NAME},
    {"Đơn vị xử lý", MC_COL_UNIT_NAME},
    {"Đơn vị", MC_COL_UNIT_NAME},
    {"Cơ quan giải quyết", MC_COL_UNIT_NAME},
    {"Tên đơn vị", MC_COL_UNIT_NAME},
    {"Tên đơn vị xử lý", MC_COL_UNIT_NAME},
    {"Cơ quan", MC_COL_UNIT_NAME},
    {"Tên cơ quan", MC_COL_UNIT_NAME},
    {"Cơ quan xử lý", MC_COL_UNIT_NAME},
    {"Tên cơ quan giải quyết", MC_COL_UNIT_NAME},
    {"Đơn vị tiếp nhận", MC_COL_UNIT_NAME},
    {"Đơn vị/ cá nhân giải quyết", MC_COL_UNIT_NAME},
    {"procedure_code", MC_COL_PROCEDURE_CODE},
    {"MaTTHC", MC_COL_PROCEDURE_CODE},
    {"Mã TTHC", MC_COL_PROCEDURE_CODE},
    {"Mã thủ tục", MC_COL_PROCEDURE_CODE},
    {"Mã thủ tục hành chính", MC_COL_PROCEDURE_CODE},
    {"procedure_name", MC_COL_PROCEDURE_NAME},
    {"TenTTHC", MC_COL_PROCEDURE_NAME},
    {"Tên TTHC", MC_COL_PROCEDURE_NAME},
    {"Tên thủ tục", MC_COL_PROCEDURE_NAME},
    {"Tên thủ tục hành chính", MC_COL_PROCEDURE_NAME},
    {"Thủ tục", MC_COL_PROCEDURE_NAME},
    {"Thủ tục hành chính", MC_COL_PROCEDURE_NAME},
    {"Mã lĩnh vực", MC_COL_FIELD_CODE},
    {"MaLinhVuc", MC_COL_FIELD_CODE},
    {"field_code", MC_COL_FIELD_CODE},
    {"field_name", MC_COL_FIELD_NAME},
    {"TenLinhVuc", MC_COL_FIELD_NAME},
    {"Lĩnh vực", MC_COL_FIELD_NAME},
    {"Tên lĩnh vực", MC_COL_FIELD_NAME},
    {"channel", MC_COL_CHANNEL},
    {"KenhThucHien", MC_COL_CHANNEL},
    {"Kênh thực hiện", MC_COL_CHANNEL},
    {"Kênh nộp", MC_COL_CHANNEL},
    {"Kênh nộp hồ sơ", MC_COL_CHANNEL},
    {"Hình thức nộp", MC_COL_CHANNEL},
    {"Hình thức nộp hồ sơ", MC_COL_CHANNEL},
    {"Kênh tiếp nhận", MC_COL_CHANNEL},
    {"Hình thức tiếp nhận", MC_COL_CHANNEL},
    {"service_level", MC_COL_SERVICE_LEVEL},
    {"MucDo", MC_COL_SERVICE_LEVEL},
    {"Mức độ", MC_COL_SERVICE_LEVEL},
    {"Mức độ DVC", MC_COL_SERVICE_LEVEL},
    {"Mức độ dịch vụ công", MC_COL_SERVICE_LEVEL},
    {"Mức độ DVCTT", MC_COL_SERVICE_LEVEL},
    {"Mức độ dịch vụ công trực tuyến", MC_COL_SERVICE_LEVEL},
    {"status", MC_COL_STATUS},
    {"TrangThaiHoSo", MC_COL_STATUS},
    {"Trạng thái", MC_COL_STATUS},
    {"Trạng thái hồ sơ", MC_COL_STATUS},
    {"Tình trạng", MC_COL_STATUS},
    {"Tình trạng hồ sơ", MC_COL_STATUS},
    {"received_at", MC_COL_RECEIVED_AT},
    {"NgayTiepNhan", MC_COL_RECEIVED_AT},
    {"Ngày tiếp nhận", MC_COL_RECEIVED_AT},
    {"Ngày nhận", MC_COL_RECEIVED_AT},
    {"Ngày nhận hồ sơ", MC_COL_RECEIVED_AT},
    {"Nhận hồ sơ", MC_COL_RECEIVED_AT},
    {"Thời gian tiếp nhận", MC_COL_RECEIVED_AT},
    {"due_at", MC_COL_DUE_AT},
    {"NgayHenTra", MC_COL_DUE_AT},
    {"Ngày hẹn trả", MC_COL_DUE_AT},
    {"Ngày hẹn trả kết quả", MC_COL_DUE_AT},
    {"Hẹn trả kết quả", MC_COL_DUE_AT},
    {"new_due_at", MC_COL_NEW_DUE_AT},
    {"NgayHenTraMoi", MC_COL_NEW_DUE_AT},
    {"Ngày hẹn trả mới", MC_COL_NEW_DUE_AT},
    {"Ngày hẹn lại", MC_COL_NEW_DUE_AT},
    {"Ngày hẹn trả kết quả mới", MC_COL_NEW_DUE_AT},
    {"finished_at", MC_COL_FINISHED_AT},
    {"NgayKetThucXuLy", MC_COL_FINISHED_AT},
    {"Ngày kết thúc xử lý", MC_COL_FINISHED_AT},
    {"Ngày có kết quả", MC_COL_FINISHED_AT},
    {"Ngày kết thúc", MC_COL_FINISHED_AT},
    {"Ngày xử lý xong", MC_COL_FINISHED_AT},
    {"Ngày hoàn thành", MC_COL_FINISHED_AT},
    {"returned_at", MC_COL_RETURNED_AT},
    {"NgayTra", MC_COL_RETURNED_AT},
    {"Ngày trả kết quả", MC_COL_RETURNED_AT},
    {"Ngày trả", MC_COL_RETURNED_AT},
    {"Ngày trả KQ", MC_COL_RETURNED_AT},
    {"Ngày nhận kết quả", MC_COL_RETURNED_AT},
    {"apology", MC_COL_APOLOGY},
    {"CoXinLoi", MC_COL_APOLOGY},
    {"Có văn bản xin lỗi", MC_COL_APOLOGY},
    {"Xin lỗi", MC_COL_APOLOGY},
    {"Văn bản xin lỗi", MC_COL_APOLOGY},
    {"apology_at", MC_COL_APOLOGY_AT},
    {"NgayXinLoi", MC_COL_APOLOGY_AT},
    {"Ngày xin lỗi", MC_COL_APOLOGY_AT},
    {"Ngày văn bản xin lỗi", MC_COL_APOLOGY_AT},
    {"has_fee", MC_COL_HAS_FEE},
    {"CoPhiLePhi", MC_COL_HAS_FEE},
    {"Có phí, lệ phí", MC_COL_HAS_FEE},
    {"Có phí", MC_COL_HAS_FEE},
    {"paid_online", MC_COL_PAID_ONLINE},
    {"DuocThanhToanTrucTuyen", MC_COL_PAID_ONLINE},
    {"Thanh toán trực tuyến", MC_COL_PAID_ONLINE},
    {"Đã thanh toán trực tuyến", MC_COL_PAID_ONLINE},
    {"digitized", MC_COL_DIGITIZED},
    {"HoSoCoThanhPhanSoHoa", MC_COL_DIGITIZED},
    {"DuocSoHoa", MC_COL_DIGITIZED},
    {"Số hóa", MC_COL_DIGITIZED},
    {"Đã số hóa", MC_COL_DIGITIZED},
    {"e_result", MC_COL_E_RESULT},
    {"CoKetQuaDienTu", MC_COL_E_RESULT},
    {"Kết quả điện tử", MC_COL_E_RESULT},
    {"updated_at", MC_COL_UPDATED_AT},
    {"NgayCapNhat", MC_COL_UPDATED_AT},
    {"Ngày cập nhật", MC_COL_UPDATED_AT},
    {"ThoiDiemCapNhat", MC_COL_UPDATED_AT},
    {"Ngày cập nhật cuối", MC_COL_UPDATED_AT},
    {"ChuHoSo", MC_COL_PERSONAL},
    {"Chủ hồ sơ", MC_COL_PERSONAL},
    {"Tên chủ hồ sơ", MC_COL_PERSONAL},
    {"Họ tên chủ hồ sơ", MC_COL_PERSONAL},
    {"SoGiayToChuHoSo", MC_COL_PERSONAL},
    {"Số giấy tờ chủ hồ sơ", MC_COL_PERSONAL},
    {"Số giấy tờ", MC_COL_PERSONAL},
    {"SoDienThoai", MC_COL_PERSONAL},
    {"Số điện thoại", MC_COL_PERSONAL},
    {"Điện thoại", MC_COL_PERSONAL},
    {"SĐT", MC_COL_PERSONAL},
    {"Số điện thoại chủ hồ sơ", MC_COL_PERSONAL},
    {"Di động", MC_COL_PERSONAL},
    {"Email", MC_COL_PERSONAL},
    {"E-mail", MC_COL_PERSONAL},
    {"Email chủ hồ sơ", MC_COL_PERSONAL},
    {"Thư điện tử", MC_COL_PERSONAL},
    {"DiaChiChuHoSo", MC_COL_PERSONAL},
    {"Địa chỉ", MC_COL_PERSONAL},
    {"Địa chỉ chủ hồ sơ", MC_COL_PERSONAL},
    {"Địa chỉ liên hệ", MC_COL_PERSONAL},
    {"Địa chỉ thường trú", MC_COL_PERSONAL},
    {"Họ tên", MC_COL_PERSONAL},
    {"Họ và tên", MC_COL_PERSONAL},
    {"Người nộp", MC_COL_PERSONAL},
    {"Tên người nộp", MC_COL_PERSONAL},
    {"Người nộp hồ sơ", MC_COL_PERSONAL},
    {"Họ tên người nộp", MC_COL_PERSONAL},
    {"CMND", MC_COL_PERSONAL},
    {"CCCD", MC_COL_PERSONAL},
    {"Số CMND", MC_COL_PERSONAL},
    {"Số CCCD", MC_COL_PERSONAL},
    {"Số CMND/CCCD", MC_COL_PERSONAL},
    {"CMND/CCCD", MC_COL_PERSONAL},
    {"Số định danh", MC_COL_PERSONAL},
    {"Số định danh cá nhân", MC_COL_PERSONAL},
    {"Hộ chiếu", MC_COL_PERSONAL},
    {"Số hộ chiếu", MC_COL_PERSONAL},
    {"NgaySinh", MC_COL_PERSONAL},
    {"Ngày sinh", MC_COL_PERSONAL},
    {"Giới tính", MC_COL_PERSONAL},
    {"Fax", MC_COL_PERSONAL},
    {"TrichYeuHoSo", MC_COL_PERSONAL},
    {"Trích yếu", MC_COL_PERSONAL},
    {"Trích yếu hồ sơ", MC_COL_PERSONAL},
    {"applicant", MC_COL_PERSONAL},
    {"applicant_name", MC_COL_PERSONAL},
    {"phone", MC_COL_PERSONAL},
    {"address", MC_COL_PERSONAL},
    {"Tên cá nhân, tổ chức", MC_COL_PERSONAL},
    {"Địa chỉ, số điện thoại", MC_COL_PERSONAL},
};

/* Unicode upper case of s, code point by code point (Ư, Đ, Ế...). */
static void upper(const char *s, char out[256])
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t o = 0;
    utf8proc_int32_t cp;
    utf8proc_ssize_t k;
    while (*p && (k = utf8proc_iterate(p, -1, &cp)) > 0) {
        o += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out + o);
        p += k;
    }
    out[o] = '\0';
}

#define NLABELS (sizeof labels / sizeof labels[0])

Test(columns, every_alias)
{
    for (size_t i = 0; i < NLABELS; i++)
        cr_assert_eq(look(labels[i].label), labels[i].col, "\"%s\" -> %s, want %s",
                     labels[i].label, mc_col_name(look(labels[i].label)),
                     mc_col_name(labels[i].col));
}

Test(columns, every_alias_in_nfd)
{
    for (size_t i = 0; i < NLABELS; i++) {
        char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)labels[i].label);
        cr_assert_not_null(nfd);
        cr_assert_eq(look(nfd), labels[i].col, "NFD of \"%s\"", labels[i].label);
        free(nfd);
    }
}

/* Upper case, then every space as an underscore, then spaces removed and
 * padding added: all the same column. */
Test(columns, every_alias_case_and_spacing)
{
    for (size_t i = 0; i < NLABELS; i++) {
        char up[256];
        upper(labels[i].label, up);
        cr_assert_eq(look(up), labels[i].col, "\"%s\"", up);

        char under[256], tight[256], padded[300];
        size_t j = 0, k = 0;
        for (const char *p = labels[i].label; *p; p++) {
            under[j++] = *p == ' ' ? '_' : *p;
            if (*p != ' ')
                tight[k++] = *p;
        }
        under[j] = tight[k] = '\0';
        snprintf(padded, sizeof padded, " \t%s  ", labels[i].label);
        cr_assert_eq(look(under), labels[i].col, "\"%s\"", under);
        cr_assert_eq(look(tight), labels[i].col, "\"%s\"", tight);
        cr_assert_eq(look(padded), labels[i].col, "\"%s\"", padded);
    }
}

Test(columns, spec_examples_explicit)
{
    cr_assert_eq(look("MaHoSo"), MC_COL_CASE_ID);
    cr_assert_eq(look("Mã hồ sơ"), MC_COL_CASE_ID);
    cr_assert_eq(look("Ma\xcc\x83 ho\xcc\x82\xcc\x80 so\xcc\x9b"), MC_COL_CASE_ID); /* NFD */
    cr_assert_eq(look("MÃ HỒ SƠ"), MC_COL_CASE_ID);
    cr_assert_eq(look("ma_ho_so"), MC_COL_CASE_ID);
    cr_assert_eq(look("\xef\xbb\xbfMaHoSo"), MC_COL_CASE_ID); /* BOM on the first cell */
    cr_assert_eq(look("Ngày hẹn trả mới"), MC_COL_NEW_DUE_AT);
    cr_assert_eq(look("Nga\xcc\x80y he\xcc\xa3n tra\xcc\x89 mo\xcc\x9b\xcc\x81i"), MC_COL_NEW_DUE_AT);
    cr_assert_eq(look("Ngày hẹn trả"), MC_COL_DUE_AT);
    cr_assert_eq(look("\xc4\x90" "o\xcc\x9b" "n vi\xcc\xa3 xu\xcc\x9b\xcc\x89 ly\xcc\x81"), MC_COL_UNIT_NAME);
    cr_assert_eq(look("Có phí, lệ phí"), MC_COL_HAS_FEE);
    cr_assert_eq(look("Số hoá"), MC_COL_DIGITIZED); /* old-style tone placement */
    cr_assert_eq(look("NGAY_KET_THUC_XU_LY"), MC_COL_FINISHED_AT);
    cr_assert_eq(look("e-result"), MC_COL_E_RESULT);
    cr_assert_eq(look("Case ID"), MC_COL_CASE_ID);
    cr_assert_eq(look("ThoiDiemCapNhat"), MC_COL_UPDATED_AT);
}

Test(columns, personal)
{
    const char *p[] = {"ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email", "DiaChiChuHoSo",
                       "Chủ hồ sơ", "Số CMND/CCCD", "Họ và tên", "E-mail", "Ngày sinh",
                       ("Đi\xcc\xa3" "a chi\xcc\x89"), /* NFD Địa chỉ */
                       "SĐT", "so_dien_thoai"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        cr_assert_eq(look(p[i]), MC_COL_PERSONAL, "\"%s\"", p[i]);
}

Test(columns, unknown)
{
    const char *u[] = {"", "   ", "STT", "Ghi chú", "Mã", "Ngày", "Hồ sơ", "Hạn xử lý",
                       "Ngày nộp", "Mã định danh", "case", "id", "MaHoSoX", "Ngày nộp hồ sơ",
                       "STT", "TT", "Số thứ tự", "Ngày, tháng, năm", "Hẹn trả",
                       ("\xff\xfe" "MaHoSo") /* not UTF-8 */, "___", "Số"};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        cr_assert_eq(look(u[i]), MC_COL_UNKNOWN, "\"%s\"", u[i]);
    char big[1000];
    memset(big, 'a', sizeof big);
    cr_assert_eq(mc_column_lookup(big, sizeof big), MC_COL_UNKNOWN);
    /* n bounds the cell */
    cr_assert_eq(mc_column_lookup("MaHoSoKhac", 6), MC_COL_CASE_ID);
    cr_assert_eq(mc_column_lookup("MaHoSoKhac", 10), MC_COL_ALT_CASE_ID);
}

/* SPEC 10.2: "Đơn vị tiếp nhận" (the receiving desk) names the unit only
 * when no other column does; every other label names its column outright. */
Test(columns, fallback_labels)
{
    int fb = -1;
    cr_assert_eq(mc_column_lookup_fallback("Đơn vị tiếp nhận", strlen("Đơn vị tiếp nhận"), &fb),
                 MC_COL_UNIT_NAME);
    cr_assert_eq(fb, 1);
    cr_assert_eq(mc_column_lookup_fallback("DON VI TIEP NHAN", 16, &fb), MC_COL_UNIT_NAME);
    cr_assert_eq(fb, 1);
    for (size_t i = 0; i < NLABELS; i++) {
        mc_col c = mc_column_lookup_fallback(labels[i].label, strlen(labels[i].label), &fb);
        cr_assert_eq(c, labels[i].col, "%s", labels[i].label);
        cr_assert_eq(fb, strcmp(labels[i].label, "Đơn vị tiếp nhận") == 0, "%s", labels[i].label);
    }
    cr_assert_eq(mc_column_lookup_fallback("STT", 3, &fb), MC_COL_UNKNOWN);
    cr_assert_eq(fb, 0);
    cr_assert_eq(mc_column_lookup_fallback("STT", 3, NULL), MC_COL_UNKNOWN);
}
