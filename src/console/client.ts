/**
 * The console's one client script: the audit log page's bundle check. It carries {@link checkBundle}'s own
 * source text, so the browser runs the same code the tests run in Node; the rest only wires the file input
 * and the drop zone and writes the outcome with textContent (nothing from the file becomes markup).
 */
import { checkBundle } from './bundle-check.js';

const GLUE = `
(() => {
  const input = document.getElementById('bundel');
  const zone = document.getElementById('dropzone');
  const out = document.getElementById('uitkomst');
  const key = document.getElementById('sleutel');
  const witnesses = document.getElementById('getuigen');
  const quorum = document.getElementById('quorum');
  if (!input || !zone || !out || !key || !witnesses || !quorum) return;
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const render = (result, name) => {
    out.replaceChildren();
    const state = !result.ok ? 'fout' : result.complete ? 'ok' : 'gedeeltelijk';
    const box = el('div', undefined, state === 'gedeeltelijk' ? 'deels' : state);
    box.dataset.uitkomst = state;
    box.append(el('h3', state === 'ok' ? 'De bundel klopt: het hele log' : state === 'gedeeltelijk' ? 'Gedeeltelijk gecontroleerd: niet het hele log' : 'Niet geverifieerd'));
    box.append(el('p', 'Bestand ' + name + (result.size === undefined ? '' : ': ' + result.entries + ' vermeldingen, ondertekend checkpoint met ' + result.size + ' bladen') + '.'));
    if (result.ok) box.append(el('p', 'Geverifieerde bladen: ' + (result.verified || 'geen') + (result.unverified ? '; niet in de bundel: ' + result.unverified : '') + '.'));
    if (result.key) box.append(el('p', 'Gecontroleerd met de vertrouwde sleutel: ' + result.key));
    if (result.cosignatures && result.cosignatures.length > 0) {
      const list = el('ul');
      list.className = 'getuigen';
      for (const c of result.cosignatures) { const li = el('li', 'Getuige ' + c.witness + ': ' + (c.state === 'valid' ? 'medeondertekend op ' + c.time : c.state === 'invalid' ? 'ONGELDIGE medeondertekening' : 'geen medeondertekening')); li.dataset.getuige = c.witness; li.dataset.state = c.state; list.append(li); }
      box.append(el('p', 'Medeondertekeningen (getuigen):'));
      box.append(list);
    }
    if (result.findings.length > 0) {
      const list = el('ul');
      for (const f of result.findings) { const li = el('li', f.kind + ': ' + f.message); li.dataset.kind = f.kind; if (f.index !== undefined) li.dataset.index = String(f.index); list.append(li); }
      box.append(list);
    }
    out.append(box);
  };
  const check = async (file) => {
    out.replaceChildren(el('p', 'Bezig met controleren…'));
    const keys = witnesses.value.split('\\n').filter((k) => k.trim() !== '');
    const q = quorum.value.trim() === '' ? keys.length : Number(quorum.value);
    try { render(await checkBundle(await file.text(), key.value, keys, q), file.name); }
    catch (e) { render({ ok: false, complete: false, findings: [{ kind: 'check-failed', message: 'de controle kon niet worden uitgevoerd in deze browser (' + (e && e.name ? e.name : 'fout') + ')' }], key: '', entries: 0, verified: '', unverified: '', cosignatures: [] }, file.name); }
  };
  input.addEventListener('change', () => { const f = input.files && input.files[0]; if (f) void check(f); });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); const f = e.dataTransfer && e.dataTransfer.files[0]; if (f) void check(f); });
})();
`;

let script: string | undefined;

/** The script served at /console/static/auditlog.js. */
export function auditlogScript(): string {
  script ??= `'use strict';\nconst checkBundle = ${checkBundle.toString()};\n${GLUE}`;
  return script;
}
