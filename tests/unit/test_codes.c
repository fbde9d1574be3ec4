/*
 * test_codes.c -- status, channel, service level, booleans and the case_id
 * key, in every spelling SPEC 1.3-1.4 lists, in NFC and NFD, any case.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "transforms/codes.h"

static int status(const char *s)
{
    int code = -99;
    if (mc_status_parse(s, strlen(s), &code) != 0)
        return -1;
    return code;
}

static int channel(const char *s)
{
    int v = -99;
    if (mc_channel_parse(s, strlen(s), &v) != 0)
        return -1;
    return v;
}

static int level(const char *s)
{
    int v = -99;
    if (mc_level_parse(s, strlen(s), &v) != 0)
        return -1;
    return v;
}

static int boolean(const char *s)
{
    int v = -99;
    if (mc_bool_parse(s, strlen(s), &v) != 0)
        return -1;
    return v;
}

static int paid(const char *s)
{
    int v = -99;
    if (mc_paid_online_parse(s, strlen(s), &v) != 0)
        return -1;
    return v;
}

static char idbuf[256];

static const char *case_id(const char *s)
{
    long n = mc_case_id_norm(s, strlen(s), idbuf, sizeof idbuf);
    cr_assert_geq(n, 0, "case_id \"%s\" failed", s);
    cr_assert_eq((size_t)n, strlen(idbuf));
    return idbuf;
}

/* Every spelling of SPEC 1.4: NFC, NFC upper case, NFD, NFD upper case
 * (NFD written out byte by byte so no editor can recompose it). */
static const struct {
    int code;
    const char *nfc, *nfc_upper, *nfd, *nfd_upper;
} spellings[] = {
    {1, "Mới đăng ký", "MỚI ĐĂNG KÝ",
     "Mo\xcc\x9b\xcc\x81i \xc4\x91" "a\xcc\x86ng ky\xcc\x81",
     "MO\xcc\x9b\xcc\x81I \xc4\x90" "A\xcc\x86NG KY\xcc\x81"},
    {1, "receiving", "RECEIVING",
     "receiving",
     "RECEIVING"},
    {2, "Được tiếp nhận", "ĐƯỢC TIẾP NHẬN",
     "\xc4\x90u\xcc\x9bo\xcc\x9b\xcc\xa3" "c tie\xcc\x82\xcc\x81p nha\xcc\xa3\xcc\x82n",
     "\xc4\x90U\xcc\x9bO\xcc\x9b\xcc\xa3" "C TIE\xcc\x82\xcc\x81P NHA\xcc\xa3\xcc\x82N"},
    {2, "Đã tiếp nhận", "ĐÃ TIẾP NHẬN",
     "\xc4\x90" "a\xcc\x83 tie\xcc\x82\xcc\x81p nha\xcc\xa3\xcc\x82n",
     "\xc4\x90" "A\xcc\x83 TIE\xcc\x82\xcc\x81P NHA\xcc\xa3\xcc\x82N"},
    {2, "new", "NEW",
     "new",
     "NEW"},
    {3, "Không được tiếp nhận", "KHÔNG ĐƯỢC TIẾP NHẬN",
     "Kho\xcc\x82ng \xc4\x91u\xcc\x9bo\xcc\x9b\xcc\xa3" "c tie\xcc\x82\xcc\x81p nha\xcc\xa3\xcc\x82n",
     "KHO\xcc\x82NG \xc4\x90U\xcc\x9bO\xcc\x9b\xcc\xa3" "C TIE\xcc\x82\xcc\x81P NHA\xcc\xa3\xcc\x82N"},
    {3, "Từ chối tiếp nhận", "TỪ CHỐI TIẾP NHẬN",
     "Tu\xcc\x9b\xcc\x80 cho\xcc\x82\xcc\x81i tie\xcc\x82\xcc\x81p nha\xcc\xa3\xcc\x82n",
     "TU\xcc\x9b\xcc\x80 CHO\xcc\x82\xcc\x81I TIE\xcc\x82\xcc\x81P NHA\xcc\xa3\xcc\x82N"},
    {3, "denied", "DENIED",
     "denied",
     "DENIED"},
    {4, "Đang xử lý", "ĐANG XỬ LÝ",
     "\xc4\x90" "ang xu\xcc\x9b\xcc\x89 ly\xcc\x81",
     "\xc4\x90" "ANG XU\xcc\x9b\xcc\x89 LY\xcc\x81"},
    {4, "Đang giải quyết", "ĐANG GIẢI QUYẾT",
     "\xc4\x90" "ang gia\xcc\x89i quye\xcc\x82\xcc\x81t",
     "\xc4\x90" "ANG GIA\xcc\x89I QUYE\xcc\x82\xcc\x81T"},
    {4, "processing", "PROCESSING",
     "processing",
     "PROCESSING"},
    {5, "Yêu cầu bổ sung giấy tờ", "YÊU CẦU BỔ SUNG GIẤY TỜ",
     "Ye\xcc\x82u ca\xcc\x82\xcc\x80u bo\xcc\x82\xcc\x89 sung gia\xcc\x82\xcc\x81y to\xcc\x9b\xcc\x80",
     "YE\xcc\x82U CA\xcc\x82\xcc\x80U BO\xcc\x82\xcc\x89 SUNG GIA\xcc\x82\xcc\x81Y TO\xcc\x9b\xcc\x80"},
    {5, "Yêu cầu bổ sung", "YÊU CẦU BỔ SUNG",
     "Ye\xcc\x82u ca\xcc\x82\xcc\x80u bo\xcc\x82\xcc\x89 sung",
     "YE\xcc\x82U CA\xcc\x82\xcc\x80U BO\xcc\x82\xcc\x89 SUNG"},
    {5, "Chờ bổ sung", "CHỜ BỔ SUNG",
     "Cho\xcc\x9b\xcc\x80 bo\xcc\x82\xcc\x89 sung",
     "CHO\xcc\x9b\xcc\x80 BO\xcc\x82\xcc\x89 SUNG"},
    {5, "waiting", "WAITING",
     "waiting",
     "WAITING"},
    {6, "Yêu cầu thực hiện nghĩa vụ tài chính", "YÊU CẦU THỰC HIỆN NGHĨA VỤ TÀI CHÍNH",
     "Ye\xcc\x82u ca\xcc\x82\xcc\x80u thu\xcc\x9b\xcc\xa3" "c hie\xcc\xa3\xcc\x82n nghi\xcc\x83" "a vu\xcc\xa3 ta\xcc\x80i chi\xcc\x81nh",
     "YE\xcc\x82U CA\xcc\x82\xcc\x80U THU\xcc\x9b\xcc\xa3" "C HIE\xcc\xa3\xcc\x82N NGHI\xcc\x83" "A VU\xcc\xa3 TA\xcc\x80I CHI\xcc\x81NH"},
    {6, "Chờ thực hiện nghĩa vụ tài chính", "CHỜ THỰC HIỆN NGHĨA VỤ TÀI CHÍNH",
     "Cho\xcc\x9b\xcc\x80 thu\xcc\x9b\xcc\xa3" "c hie\xcc\xa3\xcc\x82n nghi\xcc\x83" "a vu\xcc\xa3 ta\xcc\x80i chi\xcc\x81nh",
     "CHO\xcc\x9b\xcc\x80 THU\xcc\x9b\xcc\xa3" "C HIE\xcc\xa3\xcc\x82N NGHI\xcc\x83" "A VU\xcc\xa3 TA\xcc\x80I CHI\xcc\x81NH"},
    {6, "paying", "PAYING",
     "paying",
     "PAYING"},
    {7, "Công dân yêu cầu rút hồ sơ", "CÔNG DÂN YÊU CẦU RÚT HỒ SƠ",
     "Co\xcc\x82ng da\xcc\x82n ye\xcc\x82u ca\xcc\x82\xcc\x80u ru\xcc\x81t ho\xcc\x82\xcc\x80 so\xcc\x9b",
     "CO\xcc\x82NG DA\xcc\x82N YE\xcc\x82U CA\xcc\x82\xcc\x80U RU\xcc\x81T HO\xcc\x82\xcc\x80 SO\xcc\x9b"},
    {7, "Rút hồ sơ", "RÚT HỒ SƠ",
     "Ru\xcc\x81t ho\xcc\x82\xcc\x80 so\xcc\x9b",
     "RU\xcc\x81T HO\xcc\x82\xcc\x80 SO\xcc\x9b"},
    {7, "cancelled", "CANCELLED",
     "cancelled",
     "CANCELLED"},
    {8, "Dừng xử lý", "DỪNG XỬ LÝ",
     "Du\xcc\x9b\xcc\x80ng xu\xcc\x9b\xcc\x89 ly\xcc\x81",
     "DU\xcc\x9b\xcc\x80NG XU\xcc\x9b\xcc\x89 LY\xcc\x81"},
    {8, "unresolved", "UNRESOLVED",
     "unresolved",
     "UNRESOLVED"},
    {9, "Đã xử lý xong", "ĐÃ XỬ LÝ XONG",
     "\xc4\x90" "a\xcc\x83 xu\xcc\x9b\xcc\x89 ly\xcc\x81 xong",
     "\xc4\x90" "A\xcc\x83 XU\xcc\x9b\xcc\x89 LY\xcc\x81 XONG"},
    {9, "Đã giải quyết", "ĐÃ GIẢI QUYẾT",
     "\xc4\x90" "a\xcc\x83 gia\xcc\x89i quye\xcc\x82\xcc\x81t",
     "\xc4\x90" "A\xcc\x83 GIA\xcc\x89I QUYE\xcc\x82\xcc\x81T"},
    {9, "releasing", "RELEASING",
     "releasing",
     "RELEASING"},
    {10, "Đã trả kết quả", "ĐÃ TRẢ KẾT QUẢ",
     "\xc4\x90" "a\xcc\x83 tra\xcc\x89 ke\xcc\x82\xcc\x81t qua\xcc\x89",
     "\xc4\x90" "A\xcc\x83 TRA\xcc\x89 KE\xcc\x82\xcc\x81T QUA\xcc\x89"},
    {10, "done", "DONE",
     "done",
     "DONE"},
};

Test(codes_status, every_spelling_every_form)
{
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        int c = spellings[i].code;
        cr_assert_eq(status(spellings[i].nfc), c, "%s", spellings[i].nfc);
        cr_assert_eq(status(spellings[i].nfc_upper), c, "%s", spellings[i].nfc_upper);
        cr_assert_eq(status(spellings[i].nfd), c, "%s (NFD)", spellings[i].nfc);
        cr_assert_eq(status(spellings[i].nfd_upper), c, "%s (NFD upper)", spellings[i].nfc);
    }
}

Test(codes_status, nfd_is_really_decomposed)
{
    /* Guard for the table above: the NFD forms differ from the NFC ones. */
    cr_assert_str_neq("\xc4\x90" "ang xu\xcc\x9b\xcc\x89 ly\xcc\x81", "Đang xử lý");
    cr_assert_eq(status("\xc4\x90" "ang xu\xcc\x9b\xcc\x89 ly\xcc\x81"), 4);
    cr_assert_eq(status("\xc4\x90" "a\xcc\x83 tra\xcc\x89 ke\xcc\x82\xcc\x81t qua\xcc\x89"), 10);
}

Test(codes_status, codes)
{
    for (int c = 1; c <= 10; c++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", c);
        cr_assert_eq(status(buf), c);
        snprintf(buf, sizeof buf, " 0%d\t", c);
        cr_assert_eq(status(buf), c);
    }
    cr_assert_eq(status("004"), 4);
    cr_assert_eq(status("\xc2\xa0" "9\xc2\xa0"), 9); /* NBSP around */
    cr_assert_eq(status("0"), -1);
    cr_assert_eq(status("11"), -1);
    cr_assert_eq(status("99999999999999999999"), -1);
    cr_assert_eq(status("-4"), -1);
    cr_assert_eq(status("4.0"), -1);
    cr_assert_eq(status("+4"), -1);
}

Test(codes_status, spacing_and_case_variants)
{
    cr_assert_eq(status("  đang   xử lý  "), 4);
    cr_assert_eq(status("ĐANG XỬ LÝ"), 4);
    cr_assert_eq(status("dang xu ly"), 4);
    cr_assert_eq(status("Dang_Xu_Ly"), 4);
    cr_assert_eq(status("DangXuLy"), 4);
    cr_assert_eq(status("Đã trả kết quả."), 10);
    cr_assert_eq(status("Done"), 10);
    cr_assert_eq(status("CANCELED"), 7);
    cr_assert_eq(status("Dừng xử lý"), 8);  /* not "Đang xử lý" */
    cr_assert_eq(status("Đã xử lý xong"), 9);
}

Test(codes_status, unknown_rejected)
{
    cr_assert_eq(status(""), -1);
    cr_assert_eq(status("   "), -1);
    cr_assert_eq(status("-"), -1);
    cr_assert_eq(status("Đã xử lý"), -1);       /* not a listed spelling */
    cr_assert_eq(status("xử lý"), -1);
    cr_assert_eq(status("finished"), -1);
    cr_assert_eq(status("Đang xử lý xong"), -1);
    cr_assert_eq(status("4 Đang xử lý"), -1);
    char long_cell[700];
    memset(long_cell, 'a', sizeof long_cell - 1);
    long_cell[sizeof long_cell - 1] = '\0';
    cr_assert_eq(status(long_cell), -1);
    int code = 77;
    cr_assert_eq(mc_status_parse("bogus", 5, &code), -1);
    cr_assert_eq(code, 77);
    /* n bounds the cell */
    cr_assert_eq(mc_status_parse("45", 1, &code), 0);
    cr_assert_eq(code, 4);
}

Test(codes_channel, codes_and_texts)
{
    cr_assert_eq(channel(""), 1);
    cr_assert_eq(channel("  "), 1);
    cr_assert_eq(channel("1"), 1);
    cr_assert_eq(channel("2"), 2);
    cr_assert_eq(channel(" 03 "), 3);
    cr_assert_eq(channel("Trực tiếp"), 1);
    cr_assert_eq(channel("TRỰC TIẾP"), 1);
    cr_assert_eq(channel("Tru\xcc\x9b\xcc\xa3" "c tie\xcc\x82\xcc\x81p"), 1); /* NFD */
    cr_assert_eq(channel("Trực tuyến"), 2);
    cr_assert_eq(channel("Tru\xcc\x9b\xcc\xa3" "c tuye\xcc\x82\xcc\x81n"), 2);
    cr_assert_eq(channel("Qua mạng"), 2);
    cr_assert_eq(channel("online"), 2);
    cr_assert_eq(channel("Online"), 2);
    cr_assert_eq(channel("Bưu chính"), 3);
    cr_assert_eq(channel("Bưu chính công ích"), 3);
    cr_assert_eq(channel("BCCI"), 3);
    cr_assert_eq(channel("bcci"), 3);
    cr_assert_eq(channel("Nộp trực tuyến"), 2);
    cr_assert_eq(channel("0"), -1);
    cr_assert_eq(channel("4"), -1);
    cr_assert_eq(channel("fax"), -1);
    cr_assert_eq(channel("trực"), -1);
    cr_assert_eq(channel("-"), -1);
}

Test(codes_level, codes_and_texts)
{
    cr_assert_eq(level(""), 0);
    cr_assert_eq(level(" "), 0);
    cr_assert_eq(level("2"), 2);
    cr_assert_eq(level("3"), 3);
    cr_assert_eq(level("4"), 4);
    cr_assert_eq(level("1"), -1);
    cr_assert_eq(level("5"), -1);
    cr_assert_eq(level("0"), -1);
    cr_assert_eq(level("Toàn trình"), 4);
    cr_assert_eq(level("TOÀN TRÌNH"), 4);
    cr_assert_eq(level("To\xc3\xa0" "n tri\xcc\x80nh"), 4);          /* mixed */
    cr_assert_eq(level("Toa\xcc\x80n tri\xcc\x80nh"), 4);             /* NFD */
    cr_assert_eq(level("Một phần"), 3);
    cr_assert_eq(level("Mo\xcc\x82\xcc\xa3t pha\xcc\x82\xcc\x80n"), 3); /* NFD */
    cr_assert_eq(level("Cung cấp thông tin"), 2);
    cr_assert_eq(level("Mức độ 3"), 3);
    cr_assert_eq(level("mức độ 4"), 4);
    cr_assert_eq(level("Mức độ 2"), 2);
    cr_assert_eq(level("Mức 4"), 4);
    cr_assert_eq(level("DVC mức độ 3"), 3);
    cr_assert_eq(level("Dịch vụ công trực tuyến toàn trình"), 4);
    cr_assert_eq(level("DVC trực tuyến một phần"), 3);
    cr_assert_eq(level("Mức độ 1"), -1);
    cr_assert_eq(level("Mức độ"), -1);
    cr_assert_eq(level("Trực tuyến"), -1);
    cr_assert_eq(level("toàn"), -1);
    cr_assert_eq(level("full"), -1);
}

Test(codes_bool, values)
{
    const char *yes[] = {"1", "01", "true", "TRUE", "True", "yes", "YES", "Yes",
                         "có", "Có", "CÓ", "Co\xcc\x81", "x", "X", " x ", ("\xc2\xa0" "1")};
    const char *no[] = {"0", "00", "", "  ", "false", "FALSE", "no", "No", "NO",
                        "không", "Không", "KHÔNG", "Kho\xcc\x82ng"};
    const char *bad[] = {"2", "y", "n", "-", "?", "có lẽ", "xx", "ok", "null", "1.0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_assert_eq(boolean(yes[i]), 1, "\"%s\"", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_assert_eq(boolean(no[i]), 0, "\"%s\"", no[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(boolean(bad[i]), -1, "\"%s\"", bad[i]);
}

Test(codes_bool, paid_online_codes)
{
    cr_assert_eq(paid("0"), 0);
    cr_assert_eq(paid("1"), 1);
    cr_assert_eq(paid("2"), 1);
    cr_assert_eq(paid(""), 0);
    cr_assert_eq(paid("Có"), 1);
    cr_assert_eq(paid("không"), 0);
    cr_assert_eq(paid("true"), 1);
    cr_assert_eq(paid("3"), -1);
    cr_assert_eq(paid("maybe"), -1);
    cr_assert_eq(boolean("2"), -1); /* 2 is yes only for paid_online */
}

Test(codes_case_id, normalization)
{
    cr_assert_str_eq(case_id("  000.00.06.h56-231027-0361 "), "000.00.06.H56-231027-0361");
    cr_assert_str_eq(case_id("000.00.06.H56 - 231027 - 0361"), "000.00.06.H56-231027-0361");
    cr_assert_str_eq(case_id("000. 00.06.h56-\t231027-0361\r\n"), "000.00.06.H56-231027-0361");
    cr_assert_str_eq(case_id("\xc2\xa0" "000.00.06.h56\xc2\xa0-231027-0361"), "000.00.06.H56-231027-0361");
    cr_assert_str_eq(case_id("000.00.06.h56\xe2\x80\x8b-231027-0361"), "000.00.06.H56-231027-0361"); /* ZWSP */
    cr_assert_str_eq(case_id("000.00.06.h56\xe3\x80\x80-231027"), "000.00.06.H56-231027"); /* ideographic space */
    cr_assert_eq(mc_case_id_norm("   ", 3, idbuf, sizeof idbuf), 0);
    cr_assert_str_eq(idbuf, "");
    cr_assert_eq(mc_case_id_norm("", 0, idbuf, sizeof idbuf), 0);
}

Test(codes_case_id, unicode_upper_and_nfc)
{
    /* Vietnamese letters upper-case to their composed capitals. */
    cr_assert_str_eq(case_id("hs-đăng-ký-01"), "HS-ĐĂNG-KÝ-01");
    /* NFD in, NFC out, whatever the case. */
    cr_assert_str_eq(case_id("hs-\xc4\x91" "a\xcc\x86ng-ky\xcc\x81-01"), "HS-ĐĂNG-KÝ-01");
    cr_assert_str_eq(case_id("ho\xcc\x82\xcc\x80 so\xcc\x9b"), "HỒSƠ");
    /* a mark cut off from its letter by a space still composes */
    cr_assert_str_eq(case_id("e \xcc\x81"), "É");
    cr_assert_str_eq(case_id("ä-1"), "Ä-1");
}

Test(codes_case_id, buffer_too_small)
{
    char small[5];
    cr_assert_eq(mc_case_id_norm("abcd", 4, small, sizeof small), 4);
    cr_assert_str_eq(small, "ABCD");
    cr_assert_eq(mc_case_id_norm("abcde", 5, small, sizeof small), -1);
    cr_assert_eq(mc_case_id_norm(" a b c d ", 9, small, sizeof small), 4);
    cr_assert_eq(mc_case_id_norm("abcdé", 6, small, sizeof small), -1);
    cr_assert_eq(mc_case_id_norm("abé", 4, small, sizeof small), 4);
    cr_assert_str_eq(small, "ABÉ");
    cr_assert_eq(mc_case_id_norm("a", 1, small, 0), -1);
    /* a long code takes the allocating path and still works */
    char big[2000], out[8200];
    for (size_t i = 0; i < 1000; i++) {
        big[2 * i] = '\xc3';
        big[2 * i + 1] = '\xa9'; /* é */
    }
    cr_assert_eq(mc_case_id_norm(big, 2000, out, sizeof out), 2000);
    cr_assert_eq(memcmp(out, "\xc3\x89\xc3\x89", 4), 0);
}
