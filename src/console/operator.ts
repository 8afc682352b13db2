/**
 * What suspending or readmitting a participant means, in words an operator reads before confirming, and
 * which suspensions the console refuses outright: the gateway itself, the operator's own organisation, and
 * the last active auditor (the inspectorate must always be able to read the trail). The consequences are
 * what the gateway does with a suspended participant: its requests are refused (authentication), berichten
 * to it are refused at routing (RTE-002, and RTE-003 for a gemeente it alone serves), deliveries already
 * queued still go out, and its keys keep verifying what it signed.
 */
import type { Deelnemer } from '../registry/deelnemer.js';

/** Why the console refuses this change, or `undefined` when it may be done (after confirmation). */
export function schorsingGeweigerd(target: Deelnemer, status: 'actief' | 'geschorst', alle: readonly Deelnemer[]): string | undefined {
  if (status !== 'geschorst') return undefined;
  if (target.rol === 'gateway') return 'De gateway zelf kan niet worden geschorst: dan zou niemand nog berichten kunnen uitwisselen.';
  if (target.rol === 'auditor' && !alle.some((d) => d.rol === 'auditor' && d.status === 'actief' && d.oin !== target.oin)) {
    return `${target.naam} is de laatste actieve auditor. Zonder auditor kan niemand van buiten de gateway het auditlog nog inzien; laat eerst een andere auditor toe.`;
  }
  return undefined;
}

/** The consequences of the change, one sentence each. */
export function statusGevolgen(target: Deelnemer, status: 'actief' | 'geschorst', alle: readonly Deelnemer[]): string[] {
  const naam = target.naam;
  if (status === 'actief') {
    return [`De gateway neemt weer berichten van ${naam} aan en routeert weer berichten aan ${naam}.`, `${naam} kan weer inloggen op de console.`];
  }
  const gevolgen = [
    `De gateway weigert elk verzoek van ${naam}: berichten versturen, de postbus lezen en inloggen op de console. Een lopende consolesessie van ${naam} eindigt.`,
    `Nieuwe berichten aan ${naam} worden geweigerd (RTE-002). Berichten die al in de wachtrij staan, worden nog afgeleverd.`,
    `Wat ${naam} eerder ondertekende, blijft controleerbaar: schorsen trekt geen sleutels in.`,
  ];
  if (target.rol === 'vt') {
    gevolgen.push(`Gemeenten kunnen hun ontvangstbevestigingen dan niet aan ${naam} sturen: bij lopende overdrachten kan het zicht op veiligheid niet overgaan zolang de schorsing duurt.`);
  }
  if (target.rol === 'gemeente' || target.rol === 'lokaal-team') {
    const alleen = target.gemeentecodes.filter((code) => !alle.some((d) => d.oin !== target.oin && d.status === 'actief' && (d.rol === 'gemeente' || d.rol === 'lokaal-team') && d.gemeentecodes.includes(code)));
    gevolgen.push(`Veilig Thuis kan dan niet aan ${naam} overdragen; het zicht op veiligheid blijft bij Veilig Thuis tot een overdracht wel lukt.`);
    if (alleen.length > 0) gevolgen.push(`${naam} is de enige actieve deelnemer voor ${alleen.join(', ')}: overdrachten voor huishoudens daar weigert de gateway (RTE-003).`);
  }
  if (target.rol === 'auditor') gevolgen.push(`${naam} kan het auditlog dan niet meer via de console inzien.`);
  return gevolgen;
}
