// What every browser test shares: "ok - ..." / "not ok - ..." lines,
// steps that turn an exception into a failure, and Debian's Chromium
// started the way this machine allows (no sandbox as root, no background
// network, no GPU).
import { chromium } from 'playwright-core';

let failures = 0;

export function ok(what) {
	console.log(`ok - ${what}`);
}

export function notOk(what, why) {
	failures++;
	console.log(`not ok - ${what}`);
	for (const line of String(why).split('\n').slice(0, 6))
		console.log(`#   ${line}`);
}

// Runs fn; a throw or a false result is a failure, anything else ok.
export async function step(what, fn) {
	try {
		const r = await fn();
		if (r === false)
			notOk(what, 'check was false');
		else
			ok(what);
	} catch (e) {
		notOk(what, e && e.message ? e.message : e);
	}
}

// The exit status: 1 when any step failed.
export function failed() {
	return failures ? 1 : 0;
}

export function launch() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update', '--disable-sync',
			'--no-first-run'],
	});
}
