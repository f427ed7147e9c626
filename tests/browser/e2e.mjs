// The whole path a person takes, in real Chromium: the kiosk page, the
// thank-you screen's QR code read back by zbarimg from a screenshot, the
// public page before the site has synced ("not arrived yet") and after.
//
// usage: node e2e.mjs KIOSK_URL OUTDIR
// Prints "ok - ..." / "not ok - ..." lines.  Between the two visits to
// the public page it prints "# WAITING-FOR-SYNC CODE URL" and reads one
// line from standard input: the driving script answers once it has
// started `chorus sync` and seen the item at the centre.
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { failed, launch, notOk, ok, step } from './tap.mjs';

const [kioskUrl, out] = process.argv.slice(2);
const TEXT = 'Open the library on Saturdays <b>please</b> & thanks';
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

const browser = await launch();
const kiosk = await browser.newContext({
	viewport: { width: 800, height: 480 }, hasTouch: true,
});
const page = await kiosk.newPage();
let code = '', url = '';

await step('a parent shares an idea at the kiosk', async () => {
	await page.goto(kioskUrl + '/?lang=en');
	await page.getByText('Parent or family', { exact: true }).tap();
	const box = page.getByRole('textbox', { name: 'Your idea' });
	await box.tap();
	await box.fill(TEXT);
	await page.getByRole('button', { name: 'Send my idea' }).tap();
	await page.locator('#code').waitFor({ state: 'visible' });
	code = (await page.locator('#code').textContent()).trim();
	await page.waitForFunction(() =>
		document.getElementById('qr').naturalWidth > 0);
});
await step('the QR code on the screen scans to the item\'s public URL',
	async () => {
		const shot = `${out}/e2e-thanks.png`;
		await page.screenshot({ path: shot });
		url = execFileSync('zbarimg', ['--raw', '-q', shot])
			.toString().trim();
		if (!url.endsWith(`/I/${code}`) || url !== url.toUpperCase())
			throw new Error(`scanned ${url} for code ${code}`);
	});

const phone = await browser.newContext({
	viewport: { width: 360, height: 640 }, hasTouch: true,
	javaScriptEnabled: false, locale: 'en-US',
});
const tab = await phone.newPage();
await step('before the site syncs, the page says the item is on its way',
	async () => {
		const r = await tab.goto(url);
		await tab.getByRole('heading', { name: 'Not arrived yet' })
			.waitFor();
		return r.status() === 404;
	});

console.log(`# WAITING-FOR-SYNC ${code} ${url}`);
await nextLine();

await step('after the sync, the scanned URL opens the item (any case)',
	async () => {
		const r = await tab.goto(url.toLowerCase());
		if (r.status() !== 200)
			throw new Error(`status ${r.status()}`);
		await tab.getByText(code).first().waitFor();
	});
await step('the page shows the exact text as plain text, not markup',
	async () => {
		await tab.getByText(TEXT).waitFor();
		return await tab.locator('b').count() === 0;
	});
await step('the page shows the site it was shared at', async () =>
	tab.getByText('Lincoln Elementary').first().waitFor());
await step('the page carries its own QR code', async () =>
	tab.getByRole('img', { name: /QR/ }).first().waitFor());
await tab.screenshot({ path: `${out}/e2e-public-360x640.png`,
	fullPage: true });

lines.close();
await browser.close();
process.exit(failed());
