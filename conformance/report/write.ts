/**
 * The reports of a run: JSON for machines, JUnit XML for a vendor's CI, and one self-contained HTML
 * page for people. All three mask personal data (./mask.ts) and link every case to its rules.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, Exchange } from '../case.js';
import type { RunReport } from '../runner.js';
import { ruleLink, sourceLinks } from './links.js';
import { maskBericht } from './mask.js';

const maskExchange = (e: Exchange): Exchange => ({ ...e, ...(e.body === undefined ? {} : { body: maskBericht(e.body) }) });

/** The report as JSON, masked, with each rule's links. */
export function toJson(report: RunReport): string {
  const results = report.results.map((r) => ({ ...r, exchanges: r.exchanges.map(maskExchange), links: r.rules.map((id) => ({ rule: ruleLink(id), sources: sourceLinks(id) })) }));
  return `${JSON.stringify({ ...report, results }, null, 2)}\n`;
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** JUnit XML: one testsuite per role, one testcase per case; `should` failures and expected failures are reported as skipped with the reason. */
export function toJunit(report: RunReport): string {
  const failures = report.results.filter((r) => (r.outcome === 'fail') && r.level === 'must' && !r.expectedFailure).length;
  const errors = report.results.filter((r) => r.outcome === 'error' && !r.expectedFailure).length;
  const skipped = report.results.length - failures - errors - report.results.filter((r) => r.outcome === 'pass').length;
  const cases = report.results.map((r) => {
    const body = (() => {
      const text = `${r.reason} [rules: ${r.rules.join(', ') || 'none'}]`;
      if (r.outcome === 'pass') return r.expectedFailure ? `<system-out>${xml(`listed as expected failure but passes: remove it from the list. ${text}`)}</system-out>` : '';
      if (r.expectedFailure) return `<skipped message="${xml(`expected failure: ${text}`)}"/>`;
      if (r.outcome === 'skip' || (r.outcome === 'fail' && r.level === 'should')) return `<skipped message="${xml(`${r.outcome} (${r.level}): ${text}`)}"/>`;
      return r.outcome === 'error' ? `<error message="${xml(text)}"/>` : `<failure message="${xml(text)}"/>`;
    })();
    return `    <testcase classname="zicht.conformance.${r.role}" name="${xml(`${r.id} ${r.title}`)}" time="${(r.ms / 1000).toFixed(3)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="zicht-conformance" tests="${report.results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="${report.role}" tests="${report.results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const html = xml;
const COLORS: Readonly<Record<CaseResult['outcome'], string>> = { pass: '#1a7f37', fail: '#cf222e', skip: '#6e7781', error: '#9a6700' };

/** One self-contained HTML page (no scripts, no external resources). */
export function toHtml(report: RunReport): string {
  const rows = report.results.map((r) => {
    const links = r.rules
      .map((id) => {
        const rule = ruleLink(id);
        const sources = sourceLinks(id).map((s) => `<a href="${html(s.href)}">${html(s.label)}</a>`).join('; ');
        return `<a href="${html(rule.href)}"><code>${html(rule.label)}</code></a>${sources === '' ? '' : ` <span class="src">(${sources})</span>`}`;
      })
      .join('<br>') || '<span class="src">no rule of rules.md: behaviour the exchange requires (spec §7)</span>';
    const exchanges = r.exchanges
      .map((e) => `<details><summary>${html(e.direction)} ${html(e.request)}${e.status === undefined ? '' : ` → ${e.status}`}${e.rules ? ` ${html(e.rules.join(', '))}` : ''}</summary><pre>${html(JSON.stringify(maskExchange(e).body ?? null, null, 2))}</pre></details>`)
      .join('');
    const badge = `<span class="badge" style="background:${COLORS[r.outcome]}">${r.outcome}</span>${r.expectedFailure ? ' <span class="xf">expected failure</span>' : ''}`;
    return `<tr id="${html(r.id)}"><td><code>${html(r.id)}</code></td><td>${badge}</td><td>${html(r.level)}</td><td><strong>${html(r.title)}</strong><div class="reason">${html(r.reason)}</div>${exchanges}</td><td>${links}</td></tr>`;
  });
  const { summary, coverage } = report;
  const verdict = report.mustFailed.length === 0 && report.unexpectedPasses.length === 0 ? 'conforms: every must case passes' : `does not conform: ${report.mustFailed.length} must case(s) failed${report.unexpectedPasses.length > 0 ? `, ${report.unexpectedPasses.length} expected failure(s) pass` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Zicht conformance: ${html(report.role)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}.badge{color:#fff;border-radius:.6rem;padding:0 .5rem;font-size:12px}.xf{font-size:12px;color:#9a6700}
.reason{color:#57606a}.src{color:#57606a;font-size:12px}pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:20rem;font-size:12px}
summary{cursor:pointer;color:#0969da;font-size:12px}td:first-child,td:nth-child(2){white-space:nowrap}
</style></head><body>
<h1>Zicht conformance report: role ${html(report.role)}</h1>
<p><strong>${html(verdict)}</strong></p>
<p>Target <code>${html(report.target)}</code> · spec ${html(report.specVersie)} · started ${html(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s<br>
${summary.pass} pass · ${summary.fail} fail · ${summary.skip} skip · ${summary.error} error${report.unexpectedPasses.length > 0 ? ` · expected failures that pass (remove them from the list): ${html(report.unexpectedPasses.join(', '))}` : ''}</p>
<p>Coverage of this run (cases of role ${html(report.role)} that ran): ${coverage.covered.length} of ${coverage.errorRules} error rules have a case${coverage.uncovered.length > 0 ? `; without a case: ${html(coverage.uncovered.join(', '))}` : ''}.</p>
${report.diagnosis === undefined ? '' : `<p><strong>${html(report.diagnosis)}</strong></p>\n`}<p class="reason">Personal data in the berichten shown is masked (•••).</p>
<table><thead><tr><th>case</th><th>outcome</th><th>level</th><th>what was checked</th><th>rules and sources</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>
`;
}

/** Writes report.json, junit.xml and report.html into `dir`; returns their paths. */
export function writeReports(report: RunReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', toJson(report)],
    ['junit.xml', toJunit(report)],
    ['report.html', toHtml(report)],
  ];
  return files.map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}
