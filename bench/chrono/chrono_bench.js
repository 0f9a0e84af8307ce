#!/usr/bin/env node
// chrono-node on the texts of a time case file: the baseline of bench/time_bench.cpp.
//
//   node chrono_bench.js CASES.jsonl [--min-time S] [--repetitions N] [--answers FILE]
//
// Each text is parsed with chrono's casual parser for the case's language (en_GB: chrono.en.GB), with
// the sent instant and its UTC offset as the reference and forwardDate (times after `sent`, as
// scheduling means them). Prints one JSON line: texts, repetitions, the median texts ("sentences") per
// CPU second of this process, the same per wall second, and every repetition's CPU figure.
// --answers FILE also writes chrono's readings in the answer format of shared/eval/time/FORMAT.md (a day
// when chrono is not certain of the hour; polarity "positive": chrono has none), for score_times.py.
"use strict";
const fs = require("fs");
const path = require("path");
const chrono = require(path.join(__dirname, "node_modules", "chrono-node"));

function usage(msg) {
  process.stderr.write(`chrono_bench.js: error: ${msg}\nusage: node chrono_bench.js CASES.jsonl [--min-time S] [--repetitions N] [--answers FILE]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let casesPath = null, minTime = 2, repetitions = 5, answersPath = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--min-time") minTime = Number(args[++i]);
  else if (args[i] === "--repetitions") repetitions = Number(args[++i]);
  else if (args[i] === "--answers") answersPath = args[++i];
  else if (!casesPath) casesPath = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
if (!casesPath) usage("no case file");
if (!(minTime > 0) || !(repetitions >= 1)) usage("--min-time and --repetitions must be positive");

function parserFor(locale) {
  const lang = locale.split("_")[0];
  if (locale === "en_GB") return chrono.en.GB;
  if (chrono[lang] && chrono[lang].casual) return chrono[lang].casual;
  return chrono.casual;
}

// "2026-11-23T10:00:00-08:00" -> its offset in minutes (chrono's reference timezone).
function offsetMinutes(sent) {
  const m = /([+-])(\d\d):(\d\d)$/.exec(sent);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const cases = fs.readFileSync(casesPath, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
const inputs = cases.map((c) => ({
  id: c.id, text: c.text, tz: c.tz, parser: parserFor(c.locale),
  ref: { instant: new Date(c.sent), timezone: offsetMinutes(c.sent) },
}));

function parseAll() {
  let found = 0;
  for (const x of inputs) found += x.parser.parse(x.text, x.ref, { forwardDate: true }).length;
  return found;
}

// Warm-up (JIT), then repetitions of at least minTime CPU seconds each. Rates are per CPU second of this
// process (what one core does; the machine may be shared), and per wall second for reference.
for (const end = Date.now() + 500; Date.now() < end;) parseAll();
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const rates = [], wallRates = [];
for (let r = 0; r < repetitions; r++) {
  let texts = 0;
  const c0 = cpuSeconds(), t0 = process.hrtime.bigint();
  let cpu = 0;
  do {
    parseAll();
    texts += inputs.length;
    cpu = cpuSeconds() - c0;
  } while (cpu < minTime);
  rates.push(texts / cpu);
  wallRates.push(texts / (Number(process.hrtime.bigint() - t0) / 1e9));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
process.stdout.write(JSON.stringify({ texts: inputs.length, repetitions, sentences_per_second: median(rates),
                                      wall_sentences_per_second: median(wallRates),
                                      each: rates.map((x) => Math.round(x)) }) + "\n");

if (answersPath) {
  const wall = (date, tz) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    }).formatToParts(date).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  };
  const nextDay = (ymd) => {
    const d = new Date(`${ymd}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  const out = inputs.map((x) => {
    const times = x.parser.parse(x.text, x.ref, { forwardDate: true }).map((r) => {
      const t = { polarity: "positive", confidence: 1.0 };
      const start = wall(r.start.date(), x.tz);
      if (r.start.isCertain("hour")) t.start = start;
      else { t.start = start.slice(0, 10) + "T00:00"; if (!r.end) t.end = nextDay(start.slice(0, 10)) + "T00:00"; }
      if (r.end) t.end = r.end.isCertain("hour") ? wall(r.end.date(), x.tz) : nextDay(wall(r.end.date(), x.tz).slice(0, 10)) + "T00:00";
      t.candidates = [{ start: t.start, ...(t.end ? { end: t.end } : {}), p: 1.0 }];
      return t;
    });
    return JSON.stringify({ id: x.id, times });
  });
  fs.writeFileSync(answersPath, out.join("\n") + "\n");
}
