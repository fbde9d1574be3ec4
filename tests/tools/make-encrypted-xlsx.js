// make-encrypted-xlsx.js -- fixtures/bad/password-xlsx.xls: an .xlsx
// workbook saved with the password "motcua" (Office agile encryption: an
// OLE2 file holding EncryptionInfo and EncryptedPackage streams), for the
// .xls reader's refusal (etl/xls.c).  Made once; no test runs this.
//   npm install --prefix /tmp/x xlsx-populate
//   NODE_PATH=/tmp/x/node_modules node tests/tools/make-encrypted-xlsx.js OUT
const XP = require('xlsx-populate');
(async () => {
  const wb = await XP.fromBlankAsync();
  const s = wb.sheet(0);
  ['MaHoSo','MaDonVi','TrangThaiHoSo','NgayTiepNhan'].forEach((h,i)=>s.cell(1,i+1).value(h));
  ['000.00.72.H56-250702-0001','000.01.72.H56','10','02/07/2025'].forEach((v,i)=>s.cell(2,i+1).value(v));
  await wb.toFileAsync(process.argv[2], { password: 'motcua' });
})();
