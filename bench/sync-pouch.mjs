// The PouchDB baseline of bench/sync.sh: N documents shaped like Chorus
// items are written into a local PouchDB (LevelDB on disk), then
// replicated to an express-pouchdb server on loopback (LevelDB on disk
// too).  Prints "pouchdb N SECONDS" for the replication alone.
//
//   node bench/sync-pouch.mjs N DIR
import { createRequire } from "module";
const require = createRequire(import.meta.url);
const PouchDB = require("pouchdb");
const express = require("express");
const expressPouch = require("express-pouchdb");

const n = Number(process.argv[2]);
const dir = process.argv[3];
const Local = PouchDB.defaults({ prefix: dir + "/local-" });
const Remote = PouchDB.defaults({ prefix: dir + "/remote-" });
const app = express();
app.use("/", expressPouch(Remote, { mode: "minimumForPouchDB",
	logPath: dir + "/log.txt" }));
const server = app.listen(0, "127.0.0.1");
await new Promise((r) => server.on("listening", r));
const url = `http://127.0.0.1:${server.address().port}/items`;

const local = new Local("items");
for (let i = 0; i < n; i += 1000) {
	const docs = [];
	for (let j = i; j < Math.min(n, i + 1000); j++)
		docs.push({ _id: "item-" + String(j).padStart(8, "0"),
			code: "K7" + j, channel: "kiosk", role: "student",
			lang: "en", text: "idea " + j, made_at: Date.now(),
			clock_ok: true });
	await local.bulkDocs(docs);
}
const remote = new PouchDB(url);
await remote.info();
const t0 = process.hrtime.bigint();
const res = await local.replicate.to(remote, { batch_size: 500 });
const s = Number(process.hrtime.bigint() - t0) / 1e9;
const info = await remote.info();
if (info.doc_count !== n || res.docs_written !== n)
	throw new Error(`replicated ${info.doc_count} of ${n}`);
console.log(`pouchdb ${n} ${s.toFixed(3)}`);
server.close();
process.exit(0);
