// A staff page to print, printed to PDF by Chromium on each paper size
// it offers: logs in, opens PATH with size=a4 and size=letter added,
// and prints each as the browser would (print media, the page's own
// @page size).  The caller reads the PDFs' page sizes with pdfinfo and
// their QR codes with zbarimg.
//
// usage: node print.mjs URL EMAIL PASSWORD PATH OUTPREFIX
// Writes OUTPREFIX-a4.pdf and OUTPREFIX-letter.pdf; prints "ok - ..." /
// "not ok - ..." lines; exits 1 if any step failed.
import { writeFileSync } from 'node:fs';
import { failed, launch, step } from './tap.mjs';

const [url, email, password, path, out] = process.argv.slice(2);
const browser = await launch();
const page = await (await browser.newContext({ locale: 'en-US' }))
	.newPage();

await step('staff log in', async () => {
	await page.goto(url + '/staff/login');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL(/\/staff$/);
});
for (const size of ['a4', 'letter']) {
	await step(`${path} on ${size} prints to PDF`, async () => {
		const sep = path.includes('?') ? '&' : '?';
		const r = await page.goto(`${url}${path}${sep}size=${size}`);
		if (r.status() !== 200)
			throw new Error(`status ${r.status()}`);
		await page.emulateMedia({ media: 'print' });
		const pdf = await page.pdf({ preferCSSPageSize: true,
			printBackground: true });
		await page.emulateMedia({ media: 'screen' });
		writeFileSync(`${out}-${size}.pdf`, pdf);
		return pdf.length > 1000;
	});
}
await browser.close();
process.exit(failed());
