-- bench/sqlite-job.sql -- the motcua benchmark job done with the sqlite3 shell.
--
-- What `motcua ingest` + `motcua report --table units --format csv` do for one
-- period, in plain SQL on the same engine motcua embeds, so `make bench` can
-- show what motcua's own reader and normalizer buy over "import and query":
-- the export is .import-ed into a temp table, normalized in SQL (dd/mm/yyyy
-- HH:MM:SS to ISO text, trimmed and folded text, upper-cased case ids), exact
-- repeats dropped (GROUP BY every column, keeping the first ingest order), the
-- current version of each case kept (row_number over the case id by
-- updated_at, progress, ingest order: SPEC 2), SPEC 5's figures aggregated
-- per unit with parent and ALL roll-ups, everything stored in the database
-- file, and the report written as CSV in the contract's column order.
--
-- Known differences from motcua (figures may differ slightly): the sqlite3
-- shell has no NFC and no regular expressions, so text is not normalized to
-- NFC and name-only rows are matched to the registry by exact name only (the
-- alias spellings stay separate units); no quarantine beyond unparseable case
-- id/status/receipt; no conflicts; no successor roll-up of abolished units;
-- DVCQG column names only.  Measured, never asserted: see BENCH.md.
--
-- Run (bench/run.sh does this):
--   sqlite3 DB \
--     -cmd "CREATE TEMP TABLE params(period, s, e, a)" \
--     -cmd "INSERT INTO temp.params VALUES('2025-Q3','2025-07-01','2025-09-30','2025-09-30')" \
--     -cmd ".import --csv --schema temp EXPORT.csv raw" \
--     -cmd ".import --csv --schema temp '|grep -v ^# fixtures/units.csv' units_raw" \
--     < bench/sqlite-job.sql > OUT.csv

.bail on
.output /dev/null
PRAGMA journal_mode = WAL;
BEGIN;

CREATE TABLE units AS
  SELECT trim(code) AS code, trim(name) AS name, nullif(trim(parent), '') AS parent,
         nullif(trim(valid_from), '') AS valid_from, nullif(trim(valid_to), '') AS valid_to
  FROM temp.units_raw;

-- Normalized rows; every distinct one is a version, with its first ingest order.
CREATE TEMP VIEW norm AS
  SELECT rowid AS ord,
    upper(replace(replace(replace(trim(MaHoSo), ' ', ''), char(9), ''), char(10), '')) AS case_id,
    nullif(trim(MaHoSoKhac), '') AS alt_case_id,
    nullif(trim(MaDonVi), '') AS unit_code,
    nullif(trim(replace(replace(replace(DonViXuLy, char(9), ' '), '   ', ' '), '  ', ' ')), '') AS unit_name,
    nullif(trim(MaTTHC), '') AS procedure_code,
    nullif(trim(replace(replace(replace(replace(TenTTHC, char(13), ' '), char(10), ' '), char(9), ' '), '  ', ' ')), '') AS procedure_name,
    nullif(trim(TenLinhVuc), '') AS field_name,
    coalesce(CAST(nullif(trim(KenhThucHien), '') AS INTEGER), 1) AS channel,
    CAST(nullif(trim(MucDo), '') AS INTEGER) AS service_level,
    CAST(trim(TrangThaiHoSo) AS INTEGER) AS status,
    CASE WHEN trim(NgayTiepNhan) <> '' THEN substr(NgayTiepNhan, 7, 4) || '-' || substr(NgayTiepNhan, 4, 2) || '-' || substr(NgayTiepNhan, 1, 2) || substr(NgayTiepNhan, 11) END AS received_at,
    CASE WHEN trim(NgayHenTra) <> '' THEN substr(NgayHenTra, 7, 4) || '-' || substr(NgayHenTra, 4, 2) || '-' || substr(NgayHenTra, 1, 2) || substr(NgayHenTra, 11) END AS due_at,
    CASE WHEN trim(NgayHenTraMoi) <> '' THEN substr(NgayHenTraMoi, 7, 4) || '-' || substr(NgayHenTraMoi, 4, 2) || '-' || substr(NgayHenTraMoi, 1, 2) || substr(NgayHenTraMoi, 11) END AS new_due_at,
    CASE WHEN trim(NgayKetThucXuLy) <> '' THEN substr(NgayKetThucXuLy, 7, 4) || '-' || substr(NgayKetThucXuLy, 4, 2) || '-' || substr(NgayKetThucXuLy, 1, 2) || substr(NgayKetThucXuLy, 11) END AS finished_at,
    CASE WHEN trim(NgayTra) <> '' THEN substr(NgayTra, 7, 4) || '-' || substr(NgayTra, 4, 2) || '-' || substr(NgayTra, 1, 2) || substr(NgayTra, 11) END AS returned_at,
    lower(trim(CoXinLoi)) IN ('1', 'true', 'yes', 'x', 'có') AS apology,
    CASE WHEN trim(NgayXinLoi) <> '' THEN substr(NgayXinLoi, 7, 4) || '-' || substr(NgayXinLoi, 4, 2) || '-' || substr(NgayXinLoi, 1, 2) || substr(NgayXinLoi, 11) END AS apology_at,
    lower(trim(CoPhiLePhi)) IN ('1', 'true', 'yes', 'x', 'có') AS has_fee,
    trim(DuocThanhToanTrucTuyen) IN ('1', '2') AS paid_online,
    lower(trim(HoSoCoThanhPhanSoHoa)) IN ('1', 'true', 'yes', 'x', 'có') AS digitized,
    lower(trim(CoKetQuaDienTu)) IN ('1', 'true', 'yes', 'x', 'có') AS e_result,
    CASE WHEN trim(NgayCapNhat) <> '' THEN substr(NgayCapNhat, 7, 4) || '-' || substr(NgayCapNhat, 4, 2) || '-' || substr(NgayCapNhat, 1, 2) || substr(NgayCapNhat, 11) END AS updated_at
  FROM temp.raw;

CREATE TABLE versions AS
  SELECT case_id, alt_case_id, unit_code, unit_name, procedure_code, procedure_name, field_name,
         channel, service_level, status, received_at, due_at, new_due_at, finished_at,
         returned_at, apology, apology_at, has_fee, paid_online, digitized, e_result,
         updated_at, min(ord) AS ord
  FROM temp.norm
  WHERE case_id <> '' AND status BETWEEN 1 AND 10 AND received_at IS NOT NULL
  GROUP BY case_id, alt_case_id, unit_code, unit_name, procedure_code, procedure_name, field_name,
           channel, service_level, status, received_at, due_at, new_due_at, finished_at,
           returned_at, apology, apology_at, has_fee, paid_online, digitized, e_result,
           updated_at;

-- The current version of each case (SPEC 2); NULL updated_at sorts first.
CREATE TABLE current AS
  SELECT * FROM (
    SELECT *, row_number() OVER (
        PARTITION BY case_id
        ORDER BY updated_at DESC,
                 CASE WHEN status IN (1, 2) THEN 0 WHEN status IN (4, 5, 6) THEN 1
                      WHEN status = 10 THEN 3 ELSE 2 END DESC,
                 ord DESC) AS rn
    FROM versions)
  WHERE rn = 1;

-- Name-only rows: the registry unit of exactly that name (no regexp here).
CREATE TABLE name_map AS
  SELECT n.unit_name, min(u.code) AS code
  FROM (SELECT DISTINCT unit_name FROM current WHERE unit_code IS NULL AND unit_name IS NOT NULL) n
  JOIN units u ON u.name = n.unit_name
  GROUP BY n.unit_name HAVING count(DISTINCT u.code) = 1;

CREATE TABLE case_figures AS
  WITH p AS (SELECT * FROM temp.params),
  c AS (
    SELECT coalesce(c.unit_code, m.code, c.unit_name) AS unit,
           substr(c.received_at, 1, 10) AS rd,
           substr(coalesce(c.finished_at, c.returned_at), 1, 10) AS ed,
           substr(c.due_at, 1, 10) AS dd,
           c.status, c.channel, c.service_level, c.apology, c.apology_at, c.has_fee,
           c.paid_online, c.digitized, c.e_result, p.s, p.a
    FROM current c LEFT JOIN name_map m ON m.unit_name = c.unit_name, p
    WHERE c.status NOT IN (1, 3) AND substr(c.received_at, 1, 10) <= p.a
  ), f AS (
    SELECT *,
      (rd < s AND (ed IS NULL OR ed >= s)) AS carried,
      (rd >= s AND rd <= a) AS new_,
      coalesce(ed >= s AND ed <= a, 0) AS resolved,
      (ed IS NULL OR ed > a) AS open_,
      status = 7 AS withdrawn,
      (status IN (5, 6) AND ed IS NULL) AS paused,
      (apology OR apology_at IS NOT NULL) AS apologized
    FROM c
  ), g AS (
    SELECT *,
      (resolved AND NOT withdrawn AND dd IS NOT NULL AND ed > dd) AS late,
      ((carried OR new_) AND open_ AND NOT paused AND dd IS NOT NULL AND dd < a) AS overdue
    FROM f WHERE carried OR new_
  )
  SELECT unit,
    carried AS carried_over,
    new_ AS received_new,
    (new_ AND channel = 2) AS received_online,
    (new_ AND channel IN (1, 3)) AS received_offline,
    resolved AS resolved_total,
    (resolved AND NOT withdrawn AND dd IS NOT NULL AND ed < dd) AS resolved_early,
    (resolved AND (withdrawn OR dd IS NULL OR ed = dd)) AS resolved_on_time,
    late AS resolved_late,
    open_ AS in_progress_total,
    overdue AS in_progress_overdue,
    (apologized AND (late OR overdue)) AS late_with_apology,
    (new_ AND channel = 2 AND service_level = 4) AS online_full,
    (new_ AND has_fee) AS fee_cases,
    (new_ AND has_fee AND paid_online) AS paid_cases,
    (new_ AND digitized) AS digitized_cases,
    (resolved AND e_result) AS e_result_cases
  FROM g;

CREATE TABLE report_units AS
  WITH RECURSIVE p AS (SELECT * FROM temp.params),
  anc(code, ancestor) AS (
    SELECT code, code FROM units
    UNION ALL
    SELECT a.code, u.parent FROM anc a JOIN units u ON u.code = a.ancestor WHERE u.parent IS NOT NULL
  ), per_unit AS (
    SELECT unit, sum(carried_over) co, sum(received_new) rn, sum(received_online) ron,
           sum(received_offline) roff, sum(resolved_total) rt, sum(resolved_early) re,
           sum(resolved_on_time) rot, sum(resolved_late) rl, sum(in_progress_total) ipt,
           sum(in_progress_overdue) ipo, sum(late_with_apology) lwa, sum(online_full) ofp,
           sum(fee_cases) fc, sum(paid_cases) pc, sum(digitized_cases) dc, sum(e_result_cases) ec
    FROM case_figures GROUP BY unit
  ), spread AS (
    SELECT a.ancestor AS r, pu.* FROM per_unit pu JOIN anc a ON a.code = pu.unit
    UNION ALL
    SELECT pu.unit AS r, pu.* FROM per_unit pu WHERE pu.unit NOT IN (SELECT code FROM units)
    UNION ALL
    SELECT 'ALL' AS r, pu.* FROM per_unit pu
  ), sums AS (
    SELECT r, sum(co) co, sum(rn) rn, sum(ron) ron, sum(roff) roff, sum(rt) rt, sum(re) re,
           sum(rot) rot, sum(rl) rl, sum(ipt) ipt, sum(ipo) ipo, sum(lwa) lwa, sum(ofp) ofp,
           sum(fc) fc, sum(pc) pc, sum(dc) dc, sum(ec) ec
    FROM spread GROUP BY r
  ), rows_ AS (
    SELECT code AS r FROM units, p
    WHERE (valid_from IS NULL OR valid_from <= p.e) AND (valid_to IS NULL OR valid_to >= p.s)
    UNION SELECT r FROM sums
  ), z AS (
    SELECT rows_.r, coalesce(co, 0) co, coalesce(rn, 0) rn, coalesce(ron, 0) ron,
           coalesce(roff, 0) roff, coalesce(rt, 0) rt, coalesce(re, 0) re, coalesce(rot, 0) rot,
           coalesce(rl, 0) rl, coalesce(ipt, 0) ipt, coalesce(ipo, 0) ipo, coalesce(lwa, 0) lwa,
           coalesce(ofp, 0) ofp, coalesce(fc, 0) fc, coalesce(pc, 0) pc, coalesce(dc, 0) dc,
           coalesce(ec, 0) ec
    FROM rows_ LEFT JOIN sums USING (r)
  )
  SELECT p.period, p.s AS period_start, p.e AS period_end, p.a AS as_of,
    z.r AS unit_code, coalesce(u.name, z.r) AS unit_name,
    co + rn AS received_total, rn AS received_new, ron AS received_online,
    roff AS received_offline, co AS carried_over, rt AS resolved_total, re AS resolved_early,
    rot AS resolved_on_time, rl AS resolved_late, ipt AS in_progress_total,
    ipt - ipo AS in_progress_within, ipo AS in_progress_overdue, rl + ipo AS late_total,
    lwa AS late_with_apology,
    CASE WHEN rt > 0 THEN printf('%.2f', 100.0 * (re + rot) / rt) END AS on_time_rate,
    CASE WHEN rt + ipt > 0 THEN printf('%.2f', 100.0 * (re + rot + ipt - ipo) / (rt + ipt)) END AS on_time_rate_766,
    CASE WHEN rl + ipo > 0 THEN printf('%.2f', 100.0 * lwa / (rl + ipo)) END AS late_with_apology_rate,
    CASE WHEN rn > 0 THEN printf('%.2f', 100.0 * ron / rn) END AS online_rate,
    CASE WHEN rn > 0 THEN printf('%.2f', 100.0 * ofp / rn) END AS online_full_process_rate,
    CASE WHEN fc > 0 THEN printf('%.2f', 100.0 * pc / fc) END AS online_payment_rate,
    CASE WHEN rn > 0 THEN printf('%.2f', 100.0 * dc / rn) END AS digitized_rate,
    CASE WHEN rt > 0 THEN printf('%.2f', 100.0 * ec / rt) END AS e_result_rate
  FROM z LEFT JOIN units u ON u.code = z.r, p
  ORDER BY z.r = 'ALL', z.r;

COMMIT;

.output stdout
.headers on
.mode csv
SELECT * FROM report_units ORDER BY unit_code = 'ALL', unit_code;
