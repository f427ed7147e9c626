// The pages on a cheap phone, in real Chromium: at 360x640 no page
// scrolls sideways (the staff idea page in Spanish too), every button
// and select is at least 44 px tall (a thumb) and what people said in
// the inbox is not squeezed to a word a line; each inbox filter's label
// stays on the line of its control at 360x640 and 1024x600, in Spanish
// and English (screenshots in OUTDIR when given); at 1024 px wide the
// waves chart with one month of data is under 500 px tall and has its
// legend.
//
// usage: node ux.mjs URL IDEA PROMPT EMAIL PASSWORD [OUTDIR]
// Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
import { failed, launch, step } from './tap.mjs';

const [url, idea, prompt, email, password, out] = process.argv.slice(2);
const browser = await launch();
const phone = await browser.newContext({
	locale: 'en-US', viewport: { width: 360, height: 640 },
});
const page = await phone.newPage();

// The page's width beyond the viewport, in px (0 when none).
async function overflow() {
	return page.evaluate(() =>
		document.documentElement.scrollWidth - window.innerWidth);
}

// The elements that reach past the viewport's right edge, deepest first.
async function wide() {
	return page.evaluate(() => {
		const out = [];
		for (const e of document.querySelectorAll('body *')) {
			const r = e.getBoundingClientRect();
			if (r.right > window.innerWidth + 1 &&
			    !e.querySelector('*'))
				out.push(`${e.tagName}.${e.className} "` +
					e.textContent.trim().slice(0, 20) +
					`" right ${Math.round(r.right)}`);
		}
		return out.slice(0, 5);
	});
}

// Every visible button and select that is under 44 px tall, by name.
async function smallControls() {
	return page.evaluate(() => {
		const out = [];
		for (const e of document.querySelectorAll('button, select')) {
			const r = e.getBoundingClientRect();
			if (r.width > 0 && r.height < 44)
				out.push(`${e.tagName} "${e.textContent.trim()
					.slice(0, 30)}" ${r.height}px`);
		}
		return out;
	});
}

async function phoneChecks(what, path) {
	await page.goto(url + path);
	await step(`${what}: no sideways scroll at 360 px`, async () => {
		const o = await overflow();
		if (o > 0)
			throw new Error(`${o} px too wide:\n` +
				(await wide()).join('\n'));
	});
	await step(`${what}: every button and select is 44 px or more`,
		async () => {
			const small = await smallControls();
			if (small.length)
				throw new Error(small.join('\n'));
		});
}

await phoneChecks('the public idea page', `/i/${idea}`);
await step('the public idea page has its Endorse button', async () =>
	await page.getByRole('button', { name: 'Endorse this idea' })
		.count() === 1);
await phoneChecks('the /q/ form', `/q/${prompt}`);

await page.goto(url + '/staff/login');
await page.getByLabel('E-mail').fill(email);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Log in' }).click();
await page.waitForURL(/\/staff$/);
await phoneChecks('the staff idea page', `/staff/ideas/${idea}`);
await phoneChecks('the staff inbox', '/staff');
await step('what people said keeps a readable width in the inbox',
	async () => {
		const w = await page.locator('td.text').first().evaluate((e) =>
			e.getBoundingClientRect().width);
		if (w < 120)
			throw new Error(`${w} px wide`);
	});

// Each inbox filter's label on the same line as its control (their
// boxes overlap in height and the label comes first), at w x h in
// lang, with a screenshot in out.
async function filtersTogether(w, h, lang) {
	await page.setViewportSize({ width: w, height: h });
	await page.goto(`${url}/staff?lang=${lang}`);
	if (out)
		await page.screenshot({
			path: `${out}/inbox-${lang}-${w}x${h}.png` });
	await step(`each inbox filter's label is beside its control at ` +
		`${w}x${h} (${lang})`, async () => {
		const apart = await page.evaluate(() => {
			const bad = [];
			const labels = document.querySelectorAll(
				'form.filters label');
			for (const l of labels) {
				const c = document.getElementById(l.htmlFor);
				const a = l.getBoundingClientRect();
				const b = c.getBoundingClientRect();
				if (a.bottom <= b.top || b.bottom <= a.top ||
				    a.right > b.left)
					bad.push(l.textContent);
			}
			return labels.length < 8 ? ['too few labels'] : bad;
		});
		if (apart.length)
			throw new Error(apart.join(', '));
	});
}
// Spanish first: its labels are longer.  English last, for what follows.
for (const lang of ['es', 'en']) {
	await filtersTogether(360, 640, lang);
	await filtersTogether(1024, 600, lang);
}

await page.setViewportSize({ width: 1024, height: 768 });
await page.goto(url + '/staff/waves');
await step('one month of waves draws under 500 px tall at 1024 px',
	async () => {
		const box = await page.locator('svg.waves').boundingBox();
		if (box === null || box.height >= 500 || box.height < 50)
			throw new Error(`height ${box && box.height}`);
	});
await step('the chart has a legend of the phases', async () => {
	const l = page.locator('ul.legend li');
	return await l.count() === 5 &&
		(await l.allTextContents()).join('|').includes('Applied');
});
// Spanish labels are longer: the decisions table, with its hidden
// "Estado" labels, must still scroll by itself.
await page.setViewportSize({ width: 360, height: 640 });
await phoneChecks('the staff idea page in Spanish',
	`/staff/ideas/${idea}?lang=es`);
await browser.close();
process.exit(failed());
