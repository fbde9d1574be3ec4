// bench/duckdb-job.mjs -- the motcua benchmark job done with DuckDB instead.
//
// What `motcua ingest` + `motcua report --table units --format csv` do for
// one period, written as plainly as DuckDB allows, so that `make bench` can
// say how motcua compares with a general-purpose engine on the same machine:
//   read_csv the export (all columns as text, as motcua reads them), normalize
//   (strptime on dd/mm/yyyy HH:MM:SS, nfc_normalize and white-space folding on
//   text, trimmed/upper-cased case ids, SPEC 1.3), drop exact repeats
//   (DISTINCT, keeping the first ingest order), keep the current version of
//   each case (row_number over the case id by updated_at, progress, ingest
//   order, SPEC 2), resolve name-only rows through the registry's alias
//   patterns (SPEC 3), aggregate SPEC 5's figures per unit with parent and
//   ALL roll-ups, store everything in a DuckDB database file, and write the
//   report CSV in the contract's column order (SPEC 7).
// Known differences from motcua (the figures may differ slightly): no row
// quarantine beyond unparseable case id/status/receipt date, no conflicts,
// no successor roll-up of units abolished in 2025, and only the DVCQG column
// names.  It is measured, never asserted: see BENCH.md.
//
// usage: node bench/duckdb-job.mjs EXPORT DB OUT.csv UNITS.csv PERIOD
//   PERIOD: YYYY-Qn, YYYY-MM or YYYY (calendar convention; as-of = last day).
// The package comes from bench/cache/node (bench/run.sh installs it there),
// or from $DUCKDB_NODE_DIR; it is never a build dependency of motcua.

import { createRequire } from 'node:module';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [csv, dbPath, outPath, unitsPath, period] = process.argv.slice(2);
if (!period) {
  console.error('usage: node duckdb-job.mjs EXPORT DB OUT.csv UNITS.csv PERIOD');
  process.exit(64);
}

// The period's first and last day (SPEC 4, calendar convention).
function periodBounds(p) {
  const pad = (n) => String(n).padStart(2, '0');
  const last = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m: 1-12
  let m;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) {
    const y = +m[1], q = +m[2];
    return [`${y}-${pad(3 * q - 2)}-01`, `${y}-${pad(3 * q)}-${last(y, 3 * q)}`];
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) {
    const y = +m[1], mo = +m[2];
    return [`${y}-${pad(mo)}-01`, `${y}-${pad(mo)}-${last(y, mo)}`];
  }
  if ((m = /^(\d{4})$/.exec(p))) return [`${m[1]}-01-01`, `${m[1]}-12-31`];
  throw new Error(`period not understood: ${p}`);
}
const [S, E] = periodBounds(period);
const A = E; // a past period: as-of is its last day

const here = fileURLToPath(new URL('.', import.meta.url));
const pkgDir = resolve(process.env.DUCKDB_NODE_DIR || join(here, 'cache', 'node'));
const require = createRequire(join(pkgDir, 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
// Text as SPEC 1.3 wants it: NFC, trimmed, inner white space folded; empty = NULL.
const txt = (c) => `nullif(trim(regexp_replace(nfc_normalize(${c}), '\\s+', ' ', 'g')), '')`;
const ts = (c) => `try_strptime(nullif(trim(${c}), ''), '%d/%m/%Y %H:%M:%S')`;
const yes = (c) => `coalesce(lower(trim(${c})) IN ('1', 'true', 'yes', 'có', 'x'), false)`;

for (const f of [dbPath, `${dbPath}.wal`]) if (existsSync(f)) rmSync(f);
const instance = await DuckDBInstance.create(dbPath);
const con = await instance.connect();
const run = (sql) => con.run(sql);

await run(`CREATE TABLE units AS
  SELECT trim(code) AS code, trim(name) AS name, nullif(trim(parent), '') AS parent,
         nullif(trim(aliases), '') AS aliases,
         CAST(nullif(trim(valid_from), '') AS DATE) AS valid_from,
         CAST(nullif(trim(valid_to), '') AS DATE) AS valid_to
  FROM read_csv(${lit(unitsPath)}, header = true, comment = '#', all_varchar = true)`);

// Versions: every distinct normalized row, with its first ingest order.
await run(`CREATE TABLE versions AS
  WITH src AS (
    SELECT *, row_number() OVER () AS ord
    FROM read_csv(${lit(csv)}, header = true, all_varchar = true, delim = ',',
                  quote = '"', escape = '"', strict_mode = false)
  ), norm AS (
    SELECT upper(regexp_replace(nfc_normalize(coalesce(MaHoSo, '')), '\\s+', '', 'g')) AS case_id,
           ${txt('MaHoSoKhac')} AS alt_case_id,
           ${txt('MaDonVi')} AS unit_code, ${txt('DonViXuLy')} AS unit_name,
           ${txt('MaTTHC')} AS procedure_code, ${txt('TenTTHC')} AS procedure_name,
           ${txt('TenLinhVuc')} AS field_name,
           coalesce(try_cast(nullif(trim(KenhThucHien), '') AS INTEGER), 1) AS channel,
           try_cast(nullif(trim(MucDo), '') AS INTEGER) AS service_level,
           try_cast(trim(TrangThaiHoSo) AS INTEGER) AS status,
           ${ts('NgayTiepNhan')} AS received_at, ${ts('NgayHenTra')} AS due_at,
           ${ts('NgayHenTraMoi')} AS new_due_at, ${ts('NgayKetThucXuLy')} AS finished_at,
           ${ts('NgayTra')} AS returned_at, ${yes('CoXinLoi')} AS apology,
           ${ts('NgayXinLoi')} AS apology_at, ${yes('CoPhiLePhi')} AS has_fee,
           coalesce(trim(DuocThanhToanTrucTuyen) IN ('1', '2'), false) AS paid_online,
           ${yes('HoSoCoThanhPhanSoHoa')} AS digitized, ${yes('CoKetQuaDienTu')} AS e_result,
           ${ts('NgayCapNhat')} AS updated_at, ord
    FROM src
  )
  SELECT * EXCLUDE (ord), min(ord) AS ord
  FROM norm
  WHERE case_id <> '' AND status BETWEEN 1 AND 10 AND received_at IS NOT NULL
  GROUP BY ALL`);

// The current version of each case (SPEC 2).
await run(`CREATE TABLE current AS
  SELECT * FROM versions
  QUALIFY row_number() OVER (
    PARTITION BY case_id
    ORDER BY updated_at DESC NULLS LAST,
             CASE WHEN status IN (1, 2) THEN 0 WHEN status IN (4, 5, 6) THEN 1
                  WHEN status = 10 THEN 3 ELSE 2 END DESC,
             ord DESC) = 1`);

// Name-only rows: the one registry unit whose name or alias matches (SPEC 3).
await run(`CREATE TABLE name_map AS
  SELECT n.unit_name, min(u.code) AS code
  FROM (SELECT DISTINCT unit_name FROM current WHERE unit_code IS NULL AND unit_name IS NOT NULL) n
  JOIN units u ON lower(n.unit_name) = lower(u.name)
              OR (u.aliases IS NOT NULL AND regexp_full_match(n.unit_name, u.aliases, 'i'))
  GROUP BY n.unit_name HAVING count(DISTINCT u.code) = 1`);

const S_ = `DATE ${lit(S)}`, A_ = `DATE ${lit(A)}`, E_ = `DATE ${lit(E)}`;
await run(`CREATE TABLE case_figures AS
  WITH c AS (
    SELECT coalesce(c.unit_code, m.code, c.unit_name) AS unit,
           CAST(received_at AS DATE) AS rd,
           CAST(coalesce(finished_at, returned_at) AS DATE) AS ed,
           CAST(due_at AS DATE) AS dd, *
    FROM current c LEFT JOIN name_map m USING (unit_name)
    WHERE status NOT IN (1, 3) AND CAST(received_at AS DATE) <= ${A_}
  ), f AS (
    SELECT *,
      (rd < ${S_} AND (ed IS NULL OR ed >= ${S_})) AS carried,
      (rd >= ${S_} AND rd <= ${A_}) AS new_,
      (ed >= ${S_} AND ed <= ${A_}) AS resolved,
      (ed IS NULL OR ed > ${A_}) AS open_,
      status = 7 AS withdrawn,
      (status IN (5, 6) AND ed IS NULL) AS paused,
      (apology OR apology_at IS NOT NULL) AS apologized
    FROM c
  )
  SELECT unit,
    CAST(carried AS INT) AS carried_over,
    CAST(new_ AS INT) AS received_new,
    CAST(new_ AND channel = 2 AS INT) AS received_online,
    CAST(new_ AND channel IN (1, 3) AS INT) AS received_offline,
    CAST(resolved AS INT) AS resolved_total,
    CAST(resolved AND NOT withdrawn AND dd IS NOT NULL AND ed < dd AS INT) AS resolved_early,
    CAST(resolved AND (withdrawn OR dd IS NULL OR ed = dd) AS INT) AS resolved_on_time,
    CAST(resolved AND NOT withdrawn AND dd IS NOT NULL AND ed > dd AS INT) AS resolved_late,
    CAST((carried OR new_) AND open_ AS INT) AS in_progress_total,
    CAST((carried OR new_) AND open_ AND NOT paused AND dd IS NOT NULL AND dd < ${A_} AS INT) AS in_progress_overdue,
    CAST(apologized AND ((resolved AND NOT withdrawn AND dd IS NOT NULL AND ed > dd)
         OR ((carried OR new_) AND open_ AND NOT paused AND dd IS NOT NULL AND dd < ${A_})) AS INT) AS late_with_apology,
    CAST(new_ AND channel = 2 AND service_level = 4 AS INT) AS online_full,
    CAST(new_ AND has_fee AS INT) AS fee_cases,
    CAST(new_ AND has_fee AND paid_online AS INT) AS paid_cases,
    CAST(new_ AND digitized AS INT) AS digitized_cases,
    CAST(resolved AND e_result AS INT) AS e_result_cases
  FROM f WHERE carried OR new_`);

await run(`CREATE TABLE report_units AS
  WITH RECURSIVE anc(code, ancestor) AS (
    SELECT code, code FROM units
    UNION ALL
    SELECT a.code, u.parent FROM anc a JOIN units u ON u.code = a.ancestor WHERE u.parent IS NOT NULL
  ), per_unit AS (
    SELECT unit, sum(COLUMNS(* EXCLUDE (unit))) FROM case_figures GROUP BY unit
  ), spread AS (
    SELECT a.ancestor AS r, p.* EXCLUDE (unit) FROM per_unit p JOIN anc a ON a.code = p.unit
    UNION ALL
    SELECT p.unit AS r, p.* EXCLUDE (unit) FROM per_unit p WHERE p.unit NOT IN (SELECT code FROM units)
    UNION ALL
    SELECT 'ALL' AS r, p.* EXCLUDE (unit) FROM per_unit p
  ), sums AS (
    SELECT r, sum(COLUMNS(* EXCLUDE (r))) FROM spread GROUP BY r
  ), rows_ AS (
    SELECT code AS r FROM units
    WHERE (valid_from IS NULL OR valid_from <= ${E_}) AND (valid_to IS NULL OR valid_to >= ${S_})
    UNION SELECT r FROM sums
  )
  SELECT ${lit(period)} AS period, ${lit(S)} AS period_start, ${lit(E)} AS period_end, ${lit(A)} AS as_of,
    rows_.r AS unit_code, coalesce(u.name, CASE WHEN rows_.r = 'ALL' THEN 'ALL' ELSE rows_.r END) AS unit_name,
    CAST(coalesce(carried_over, 0) + coalesce(received_new, 0) AS BIGINT) AS received_total,
    CAST(coalesce(received_new, 0) AS BIGINT) AS received_new,
    CAST(coalesce(received_online, 0) AS BIGINT) AS received_online,
    CAST(coalesce(received_offline, 0) AS BIGINT) AS received_offline,
    CAST(coalesce(carried_over, 0) AS BIGINT) AS carried_over,
    CAST(coalesce(resolved_total, 0) AS BIGINT) AS resolved_total,
    CAST(coalesce(resolved_early, 0) AS BIGINT) AS resolved_early,
    CAST(coalesce(resolved_on_time, 0) AS BIGINT) AS resolved_on_time,
    CAST(coalesce(resolved_late, 0) AS BIGINT) AS resolved_late,
    CAST(coalesce(in_progress_total, 0) AS BIGINT) AS in_progress_total,
    CAST(coalesce(in_progress_total, 0) - coalesce(in_progress_overdue, 0) AS BIGINT) AS in_progress_within,
    CAST(coalesce(in_progress_overdue, 0) AS BIGINT) AS in_progress_overdue,
    CAST(coalesce(resolved_late, 0) + coalesce(in_progress_overdue, 0) AS BIGINT) AS late_total,
    CAST(coalesce(late_with_apology, 0) AS BIGINT) AS late_with_apology,
    printf('%.2f', 100.0 * (resolved_early + resolved_on_time) / nullif(resolved_total, 0)) AS on_time_rate,
    printf('%.2f', 100.0 * (resolved_early + resolved_on_time + in_progress_total - in_progress_overdue)
                   / nullif(resolved_total + in_progress_total, 0)) AS on_time_rate_766,
    printf('%.2f', 100.0 * late_with_apology / nullif(resolved_late + in_progress_overdue, 0)) AS late_with_apology_rate,
    printf('%.2f', 100.0 * received_online / nullif(received_new, 0)) AS online_rate,
    printf('%.2f', 100.0 * online_full / nullif(received_new, 0)) AS online_full_process_rate,
    printf('%.2f', 100.0 * paid_cases / nullif(fee_cases, 0)) AS online_payment_rate,
    printf('%.2f', 100.0 * digitized_cases / nullif(received_new, 0)) AS digitized_rate,
    printf('%.2f', 100.0 * e_result_cases / nullif(resolved_total, 0)) AS e_result_rate
  FROM rows_ LEFT JOIN sums USING (r) LEFT JOIN units u ON u.code = rows_.r
  ORDER BY rows_.r = 'ALL', rows_.r`);

await run(`COPY (SELECT * FROM report_units ORDER BY unit_code = 'ALL', unit_code)
  TO ${lit(outPath)} (HEADER, DELIMITER ',')`);
con.closeSync();
instance.closeSync();
