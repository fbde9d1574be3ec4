/*
 * columns.c -- the header aliases of SPEC 1.2; see columns.h.
 *
 * The table holds folded keys (as mc_text_key makes them), sorted for
 * bsearch; the comment on each line gives the labels that fold to it.
 * Adding an alias: fold it the same way, insert it in order, and add the
 * label to tests/unit/test_columns.c, which checks every one.
 *
 * Aliases beyond SPEC 1.2 are the unambiguous spellings of the same field
 * seen on real export screens ("Mã đơn vị xử lý", "Tên thủ tục hành chính",
 * "Ngày nhận"...), and the list-export labels of SPEC 10.2 ("Nhận hồ sơ",
 * "Hẹn trả kết quả", "Đơn vị/ cá nhân giải quyết"...), which are also the
 * lower labels of two-row headers.  Left out on purpose: "Hạn xử lý"/"Hạn
 * giải quyết" (can be a step's internal deadline, not the date promised to
 * the applicant), "Ngày nộp", "Ngày nộp hồ sơ" (submission precedes
 * acceptance), "Mã định danh" (names a unit or a person depending on the
 * system), STT/TT/"Số thứ tự" (a serial number: an unknown column, listed).
 *
 * A fallback alias names its column only when no other column of the
 * header does: "Đơn vị tiếp nhận" is the receiving desk, which SPEC 10.2
 * takes as the unit when nothing better is there, but a list with both it
 * and "Đơn vị xử lý" means the latter (instead of being refused for naming
 * unit_name twice).
 */
#include "transforms/columns.h"

#include <stdlib.h>
#include <string.h>

#include "transforms/text.h"

typedef struct {
    const char *key;
    mc_col col;
} alias;

/* Sorted by key (strcmp order). */
static const alias aliases[] = {
    {"address", MC_COL_PERSONAL},                    /* address */
    {"altcaseid", MC_COL_ALT_CASE_ID},               /* alt_case_id */
    {"apology", MC_COL_APOLOGY},                     /* apology */
    {"apologyat", MC_COL_APOLOGY_AT},                /* apology_at */
    {"applicant", MC_COL_PERSONAL},                  /* applicant */
    {"applicantname", MC_COL_PERSONAL},              /* applicant_name */
    {"caseid", MC_COL_CASE_ID},                      /* case_id */
    {"cccd", MC_COL_PERSONAL},                       /* CCCD */
    {"channel", MC_COL_CHANNEL},                     /* channel */
    {"chuhoso", MC_COL_PERSONAL},                    /* ChuHoSo, Chủ hồ sơ */
    {"cmnd", MC_COL_PERSONAL},                       /* CMND */
    {"cmndcccd", MC_COL_PERSONAL},                   /* CMND/CCCD */
    {"coketquadientu", MC_COL_E_RESULT},             /* CoKetQuaDienTu */
    {"cophi", MC_COL_HAS_FEE},                       /* Có phí */
    {"cophilephi", MC_COL_HAS_FEE},                  /* CoPhiLePhi, Có phí, lệ phí */
    {"coquan", MC_COL_UNIT_NAME},                    /* Cơ quan */
    {"coquangiaiquyet", MC_COL_UNIT_NAME},           /* Cơ quan giải quyết */
    {"coquanxuly", MC_COL_UNIT_NAME},                /* Cơ quan xử lý */
    {"covanbanxinloi", MC_COL_APOLOGY},              /* Có văn bản xin lỗi */
    {"coxinloi", MC_COL_APOLOGY},                    /* CoXinLoi */
    {"dasohoa", MC_COL_DIGITIZED},                   /* Đã số hóa */
    {"dathanhtoantructuyen", MC_COL_PAID_ONLINE},    /* Đã thanh toán trực tuyến */
    {"diachi", MC_COL_PERSONAL},                     /* Địa chỉ */
    {"diachichuhoso", MC_COL_PERSONAL},              /* DiaChiChuHoSo, Địa chỉ chủ hồ sơ */
    {"diachilienhe", MC_COL_PERSONAL},               /* Địa chỉ liên hệ */
    {"diachisodienthoai", MC_COL_PERSONAL},          /* Địa chỉ, số điện thoại */
    {"diachithuongtru", MC_COL_PERSONAL},            /* Địa chỉ thường trú */
    {"didong", MC_COL_PERSONAL},                     /* Di động */
    {"dienthoai", MC_COL_PERSONAL},                  /* Điện thoại */
    {"digitized", MC_COL_DIGITIZED},                 /* digitized */
    {"donvi", MC_COL_UNIT_NAME},                     /* Đơn vị */
    {"donvicanhangiaiquyet", MC_COL_UNIT_NAME},      /* Đơn vị/ cá nhân giải quyết */
    {"donvitiepnhan", MC_COL_UNIT_NAME},             /* Đơn vị tiếp nhận (a fallback) */
    {"donvixuly", MC_COL_UNIT_NAME},                 /* DonViXuLy, Đơn vị xử lý */
    {"dueat", MC_COL_DUE_AT},                        /* due_at */
    {"duocsohoa", MC_COL_DIGITIZED},                 /* DuocSoHoa */
    {"duocthanhtoantructuyen", MC_COL_PAID_ONLINE},  /* DuocThanhToanTrucTuyen */
    {"email", MC_COL_PERSONAL},                      /* Email, E-mail */
    {"emailchuhoso", MC_COL_PERSONAL},               /* Email chủ hồ sơ */
    {"eresult", MC_COL_E_RESULT},                    /* e_result */
    {"fax", MC_COL_PERSONAL},                        /* Fax */
    {"fieldcode", MC_COL_FIELD_CODE},                /* field_code */
    {"fieldname", MC_COL_FIELD_NAME},                /* field_name */
    {"finishedat", MC_COL_FINISHED_AT},              /* finished_at */
    {"gioitinh", MC_COL_PERSONAL},                   /* Giới tính */
    {"hasfee", MC_COL_HAS_FEE},                      /* has_fee */
    {"hentraketqua", MC_COL_DUE_AT},                 /* Hẹn trả kết quả */
    {"hinhthucnop", MC_COL_CHANNEL},                 /* Hình thức nộp */
    {"hinhthucnophoso", MC_COL_CHANNEL},             /* Hình thức nộp hồ sơ */
    {"hinhthuctiepnhan", MC_COL_CHANNEL},            /* Hình thức tiếp nhận */
    {"hochieu", MC_COL_PERSONAL},                    /* Hộ chiếu */
    {"hosocothanhphansohoa", MC_COL_DIGITIZED},      /* HoSoCoThanhPhanSoHoa */
    {"hoten", MC_COL_PERSONAL},                      /* Họ tên */
    {"hotenchuhoso", MC_COL_PERSONAL},               /* Họ tên chủ hồ sơ */
    {"hotennguoinop", MC_COL_PERSONAL},              /* Họ tên người nộp */
    {"hovaten", MC_COL_PERSONAL},                    /* Họ và tên */
    {"kenhnop", MC_COL_CHANNEL},                     /* Kênh nộp */
    {"kenhnophoso", MC_COL_CHANNEL},                 /* Kênh nộp hồ sơ */
    {"kenhthuchien", MC_COL_CHANNEL},                /* KenhThucHien, Kênh thực hiện */
    {"kenhtiepnhan", MC_COL_CHANNEL},                /* Kênh tiếp nhận */
    {"ketquadientu", MC_COL_E_RESULT},               /* Kết quả điện tử */
    {"linhvuc", MC_COL_FIELD_NAME},                  /* Lĩnh vực */
    {"macoquan", MC_COL_UNIT_CODE},                  /* MaCoQuan, Mã cơ quan */
    {"macoquangiaiquyet", MC_COL_UNIT_CODE},         /* Mã cơ quan giải quyết */
    {"madonvi", MC_COL_UNIT_CODE},                   /* MaDonVi, Mã đơn vị */
    {"madonvixuly", MC_COL_UNIT_CODE},               /* Mã đơn vị xử lý */
    {"mahoso", MC_COL_CASE_ID},                      /* MaHoSo, Mã hồ sơ */
    {"mahosokhac", MC_COL_ALT_CASE_ID},              /* MaHoSoKhac, Mã hồ sơ khác */
    {"malinhvuc", MC_COL_FIELD_CODE},                /* MaLinhVuc, Mã lĩnh vực */
    {"masohoso", MC_COL_CASE_ID},                    /* Mã số hồ sơ */
    {"mathutuc", MC_COL_PROCEDURE_CODE},             /* Mã thủ tục */
    {"mathutuchanhchinh", MC_COL_PROCEDURE_CODE},    /* Mã thủ tục hành chính */
    {"matthc", MC_COL_PROCEDURE_CODE},               /* MaTTHC, Mã TTHC */
    {"mucdo", MC_COL_SERVICE_LEVEL},                 /* MucDo, Mức độ */
    {"mucdodichvucong", MC_COL_SERVICE_LEVEL},       /* Mức độ dịch vụ công */
    {"mucdodichvucongtructuyen", MC_COL_SERVICE_LEVEL}, /* Mức độ dịch vụ công trực tuyến */
    {"mucdodvc", MC_COL_SERVICE_LEVEL},              /* Mức độ DVC */
    {"mucdodvctt", MC_COL_SERVICE_LEVEL},            /* Mức độ DVCTT */
    {"newdueat", MC_COL_NEW_DUE_AT},                 /* new_due_at */
    {"ngaycapnhat", MC_COL_UPDATED_AT},              /* NgayCapNhat, Ngày cập nhật */
    {"ngaycapnhatcuoi", MC_COL_UPDATED_AT},          /* Ngày cập nhật cuối */
    {"ngaycoketqua", MC_COL_FINISHED_AT},            /* Ngày có kết quả */
    {"ngayhenlai", MC_COL_NEW_DUE_AT},               /* Ngày hẹn lại */
    {"ngayhentra", MC_COL_DUE_AT},                   /* NgayHenTra, Ngày hẹn trả */
    {"ngayhentraketqua", MC_COL_DUE_AT},             /* Ngày hẹn trả kết quả */
    {"ngayhentraketquamoi", MC_COL_NEW_DUE_AT},      /* Ngày hẹn trả kết quả mới */
    {"ngayhentramoi", MC_COL_NEW_DUE_AT},            /* NgayHenTraMoi, Ngày hẹn trả mới */
    {"ngayhoanthanh", MC_COL_FINISHED_AT},           /* Ngày hoàn thành */
    {"ngayketthuc", MC_COL_FINISHED_AT},             /* Ngày kết thúc */
    {"ngayketthucxuly", MC_COL_FINISHED_AT},         /* NgayKetThucXuLy, Ngày kết thúc xử lý */
    {"ngaynhan", MC_COL_RECEIVED_AT},                /* Ngày nhận */
    {"ngaynhanhoso", MC_COL_RECEIVED_AT},            /* Ngày nhận hồ sơ */
    {"ngaynhanketqua", MC_COL_RETURNED_AT},          /* Ngày nhận kết quả */
    {"ngaysinh", MC_COL_PERSONAL},                   /* NgaySinh, Ngày sinh */
    {"ngaytiepnhan", MC_COL_RECEIVED_AT},            /* NgayTiepNhan, Ngày tiếp nhận */
    {"ngaytra", MC_COL_RETURNED_AT},                 /* NgayTra, Ngày trả */
    {"ngaytraketqua", MC_COL_RETURNED_AT},           /* Ngày trả kết quả */
    {"ngaytrakq", MC_COL_RETURNED_AT},               /* Ngày trả KQ */
    {"ngayvanbanxinloi", MC_COL_APOLOGY_AT},         /* Ngày văn bản xin lỗi */
    {"ngayxinloi", MC_COL_APOLOGY_AT},               /* NgayXinLoi, Ngày xin lỗi */
    {"ngayxulyxong", MC_COL_FINISHED_AT},            /* Ngày xử lý xong */
    {"nguoinop", MC_COL_PERSONAL},                   /* Người nộp */
    {"nguoinophoso", MC_COL_PERSONAL},               /* Người nộp hồ sơ */
    {"nhanhoso", MC_COL_RECEIVED_AT},                /* Nhận hồ sơ */
    {"paidonline", MC_COL_PAID_ONLINE},              /* paid_online */
    {"phone", MC_COL_PERSONAL},                      /* phone */
    {"procedurecode", MC_COL_PROCEDURE_CODE},        /* procedure_code */
    {"procedurename", MC_COL_PROCEDURE_NAME},        /* procedure_name */
    {"receivedat", MC_COL_RECEIVED_AT},              /* received_at */
    {"returnedat", MC_COL_RETURNED_AT},              /* returned_at */
    {"sdt", MC_COL_PERSONAL},                        /* SĐT */
    {"servicelevel", MC_COL_SERVICE_LEVEL},          /* service_level */
    {"socccd", MC_COL_PERSONAL},                     /* Số CCCD */
    {"socmnd", MC_COL_PERSONAL},                     /* Số CMND */
    {"socmndcccd", MC_COL_PERSONAL},                 /* Số CMND/CCCD */
    {"sodienthoai", MC_COL_PERSONAL},                /* SoDienThoai, Số điện thoại */
    {"sodienthoaichuhoso", MC_COL_PERSONAL},         /* Số điện thoại chủ hồ sơ */
    {"sodinhdanh", MC_COL_PERSONAL},                 /* Số định danh */
    {"sodinhdanhcanhan", MC_COL_PERSONAL},           /* Số định danh cá nhân */
    {"sogiayto", MC_COL_PERSONAL},                   /* Số giấy tờ */
    {"sogiaytochuhoso", MC_COL_PERSONAL},            /* SoGiayToChuHoSo, Số giấy tờ chủ hồ sơ */
    {"sohoa", MC_COL_DIGITIZED},                     /* Số hóa */
    {"sohochieu", MC_COL_PERSONAL},                  /* Số hộ chiếu */
    {"sohoso", MC_COL_CASE_ID},                      /* Số hồ sơ */
    {"status", MC_COL_STATUS},                       /* status */
    {"tencanhantochuc", MC_COL_PERSONAL},            /* Tên cá nhân, tổ chức */
    {"tenchuhoso", MC_COL_PERSONAL},                 /* Tên chủ hồ sơ */
    {"tencoquan", MC_COL_UNIT_NAME},                 /* Tên cơ quan */
    {"tencoquangiaiquyet", MC_COL_UNIT_NAME},        /* Tên cơ quan giải quyết */
    {"tendonvi", MC_COL_UNIT_NAME},                  /* Tên đơn vị */
    {"tendonvixuly", MC_COL_UNIT_NAME},              /* Tên đơn vị xử lý */
    {"tenlinhvuc", MC_COL_FIELD_NAME},               /* TenLinhVuc, Tên lĩnh vực */
    {"tennguoinop", MC_COL_PERSONAL},                /* Tên người nộp */
    {"tenthutuc", MC_COL_PROCEDURE_NAME},            /* Tên thủ tục */
    {"tenthutuchanhchinh", MC_COL_PROCEDURE_NAME},   /* Tên thủ tục hành chính */
    {"tentthc", MC_COL_PROCEDURE_NAME},              /* TenTTHC, Tên TTHC */
    {"thanhtoantructuyen", MC_COL_PAID_ONLINE},      /* Thanh toán trực tuyến */
    {"thoidiemcapnhat", MC_COL_UPDATED_AT},          /* ThoiDiemCapNhat */
    {"thoigiantiepnhan", MC_COL_RECEIVED_AT},        /* Thời gian tiếp nhận */
    {"thudientu", MC_COL_PERSONAL},                  /* Thư điện tử */
    {"thutuc", MC_COL_PROCEDURE_NAME},               /* Thủ tục */
    {"thutuchanhchinh", MC_COL_PROCEDURE_NAME},      /* Thủ tục hành chính */
    {"tinhtrang", MC_COL_STATUS},                    /* Tình trạng */
    {"tinhtranghoso", MC_COL_STATUS},                /* Tình trạng hồ sơ */
    {"trangthai", MC_COL_STATUS},                    /* Trạng thái */
    {"trangthaihoso", MC_COL_STATUS},                /* TrangThaiHoSo, Trạng thái hồ sơ */
    {"trichyeu", MC_COL_PERSONAL},                   /* Trích yếu */
    {"trichyeuhoso", MC_COL_PERSONAL},               /* TrichYeuHoSo, Trích yếu hồ sơ */
    {"unitcode", MC_COL_UNIT_CODE},                  /* unit_code */
    {"unitname", MC_COL_UNIT_NAME},                  /* unit_name */
    {"updatedat", MC_COL_UPDATED_AT},                /* updated_at */
    {"vanbanxinloi", MC_COL_APOLOGY},                /* Văn bản xin lỗi */
    {"xinloi", MC_COL_APOLOGY},                      /* Xin lỗi */
};

/* The keys of the fallback aliases (see above). */
static const char *const fallbacks[] = {"donvitiepnhan"};

static int cmp_alias(const void *key, const void *entry)
{
    return strcmp((const char *)key, ((const alias *)entry)->key);
}

mc_col mc_column_lookup(const char *s, size_t n)
{
    return mc_column_lookup_fallback(s, n, NULL);
}

mc_col mc_column_lookup_fallback(const char *s, size_t n, int *fallback)
{
    if (fallback)
        *fallback = 0;
    /* Longer than any label, even in NFD with padding: cannot be ours. */
    if (n > 512)
        return MC_COL_UNKNOWN;
    if (!mc_utf8_valid(s, n))
        return MC_COL_UNKNOWN;
    char key[128];
    if (mc_text_key(s, n, key, sizeof key) <= 0)
        return MC_COL_UNKNOWN;
    const alias *a = bsearch(key, aliases, sizeof aliases / sizeof aliases[0],
                             sizeof aliases[0], cmp_alias);
    if (a && fallback)
        for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++)
            *fallback |= strcmp(key, fallbacks[i]) == 0;
    return a ? a->col : MC_COL_UNKNOWN;
}
