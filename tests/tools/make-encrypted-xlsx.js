const XP = require('/tmp/xlsexp/npm/node_modules/xlsx-populate');
(async () => {
  const wb = await XP.fromBlankAsync();
  const s = wb.sheet(0);
  ['MaHoSo','MaDonVi','TrangThaiHoSo','NgayTiepNhan'].forEach((h,i)=>s.cell(1,i+1).value(h));
  ['000.00.72.H56-250702-0001','000.01.72.H56','10','02/07/2025'].forEach((v,i)=>s.cell(2,i+1).value(v));
  await wb.toFileAsync(process.argv[2], { password: 'motcua' });
})();
