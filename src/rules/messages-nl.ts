/**
 * The rules of the standard in Dutch, keyed by rule id: the texts the console shows (the catalogue in
 * src/rules/catalogue.ts states each rule in English, as spec/v1/rules.md and the API's error messages do).
 * Every rule of the catalogue has a text here (test/rules/messages-nl.test.ts); a new rule needs its Dutch
 * text in the same change. Like the English, a text names members and rule ids only, never a value.
 */

/** Dutch text per rule id. */
export const REGELS_NL: Readonly<Record<string, string>> = {
  'BER-001': 'Een bericht is één JSON-tekst in UTF-8, zonder byte order mark en zonder losse surrogaten, ook niet als \\u-escape in een string of naam.',
  'BER-002':
    'Een bericht is hoogstens 1.048.576 bytes groot: zoals de verzender het verstuurt, en zoals de gateway het opslaat en aflevert (zonder overbodige witruimte, met zijn medeondertekening erbij). De gateway weigert een bericht dat met die medeondertekening groter zou worden; die voegt minder dan 1 KiB toe, dus een verzender die 4 KiB onder de grens blijft, wordt daarom nooit geweigerd.',
  'BER-003': 'Lijsten en objecten in een bericht zijn hoogstens 32 niveaus diep genest.',
  'BER-017':
    'Geen object in een bericht (of in een andere JSON-tekst van de standaard: een FHIR-berichtbundel, een register, een sleutelset, een auditbundel) noemt een veld twee keer, op welke diepte ook; namen worden vergeleken na het ontsleutelen van escapes ("a" en "\\u0061" zijn één naam). Zo\'n tekst wordt geweigerd, nooit gelezen alsof de laatste telt.',
  'BER-004': 'Geen veld heet __proto__, constructor of prototype.',
  'BER-005': 'specVersie is een versie van deze standaard die de ontvanger ondersteunt (1.0).',
  'BER-006': 'Elk veld heeft het type, formaat en de lengte die het schema voorschrijft, en elk verplicht veld is aanwezig.',
  'BER-007': 'Een bericht heeft geen velden die het schema niet kent.',
  'BER-008':
    'Elke ontvanger komt één keer voor en de verzender is geen ontvanger. Een ontvanger is zijn OIN met, voor een gemeente of lokaal team, de gemeentecode waarvoor hij optreedt: een deelnemer die meer gemeenten bedient, komt eenmaal per gemeente voor.',
  'BER-009': 'De dossierreferentie is pseudoniem: geen reeks van precies negen cijfers erin (zonder cijfer ervoor of erna) doorstaat de elfproef voor een BSN.',
  'BER-010': 'Een bericht beantwoordt of wijzigt zichzelf niet (inAntwoordOp verschilt van berichtId).',
  'BER-011': 'Binnen een dossier zijn de volgnummers van een verzender uniek en nemen ze toe met het moment van verzenden.',
  'BER-012':
    'Verzender en ontvangers hebben rollen die bij de soort bericht passen: Veilig Thuis stuurt overdrachten, veiligheidsvoorwaarden en monitoring aan een lokaal team, gemeente of GI, die ontvangstbevestigingen en contact-gestart aan Veilig Thuis sturen; een afsluiting of escalatie gaat van Veilig Thuis of een ontvangende partij naar een andere deelnemer van hen (nooit naar zichzelf, BER-008), ook tussen ontvangende partijen, van lokaal team naar lokaal team inbegrepen; alleen een gemeente beantwoordt een escalatie, aan Veilig Thuis, een lokaal team of GI; alleen de gateway stuurt een termijnsignaal, aan Veilig Thuis, een gemeente, lokaal team of GI (LVC-009 zegt aan welke deelnemer). Elke ontvanger wordt gecontroleerd, ook een in kopie.',
  'BER-013': 'Een bericht dat een ander beantwoordt of wijzigt, hoort bij hetzelfde dossier als dat bericht.',
  'BER-014': 'Een ontvanger met de rol gemeente of lokaal team noemt de gemeente waarvoor hij optreedt (gemeentecode).',
  'BER-015': 'Een berichtId hoort bij één bericht: een bericht met de id van een eerder bericht heeft dezelfde verzender en inhoud (een herhaling), anders wordt het geweigerd.',
  'BER-016': 'Een bericht dat een ander beantwoordt of wijzigt, is niet eerder verzonden dan dat bericht (gebeurtenissen op volgorde).',
  'BER-020': 'De dossierreferentie bevat geen BSN in groepen geschreven: cijfers die, zonder de losse scheidingstekens ertussen (., -, _), negen cijfers zijn die de elfproef doorstaan.',
  'OVD-001': 'Elke gezaghebbende ouder heeft contactgegevens: een adres (adres), een telefoonnummer (contact.telefoon) of een e-mailadres (contact.email); de aanwezigheid van een ervan telt.',
  'OVD-002': 'Een anonieme melder heeft geen naam en geen contactgegevens: geen naam en geen contact, ook geen leeg; relatie mag.',
  'OVD-003': 'Een directe overdracht (na de veiligheidsbeoordeling) bevat de contactgegevens van een melder die niet anoniem is: contact.telefoon of contact.email (een leeg contact telt niet).',
  'OVD-004': 'Na een dienst gaan de contactgegevens van de melder alleen mee als het lokale veld ze nodig heeft (contactNodig).',
  'OVD-005': 'Het oordeel van Veilig Thuis over huiselijk geweld of kindermishandeling (oordeel) staat alleen in een overdracht na de dienst Onderzoek: na de dienst Voorwaarden en vervolg staat het er niet in (een directe overdracht heeft geen oordeel, en haar schema weigert er een: BER-007).',
  'OVD-006': 'Een overdracht na de dienst Onderzoek bevat het oordeel van Veilig Thuis (oordeel).',
  'OVD-007':
    'Een huishouden dat in meer dan één gemeente woont, wordt aan elk van die gemeenten overgedragen: elke gemeentecode van een adres van een directbetrokkene is de gemeentecode van een ontvanger, in kopie of niet (bij een overdracht aan een GI doorgaans de gemeente in kopie, OVD-008); niet bij een overdracht aan een andere gemeente (OVD-009, OVD-010).',
  'OVD-008': 'Een overdracht aan een GI (gecertificeerde instelling) is gericht aan een GI (niet in kopie) en, in kopie, aan een gemeente of lokaal team; welke gemeenten genoemd moeten worden, zegt OVD-007.',
  'OVD-009': 'Een overdracht aan een andere gemeente (andere-gemeente) zegt waarom (toelichting).',
  'OVD-010': 'Een overdracht aan een andere gemeente is, buiten kopie, niet gericht aan een gemeente waar het huishouden woont (in kopie mag wel).',
  'OVD-011': 'Elke persoon die bij informeren of toestemming wordt genoemd, is een van de directbetrokkenen.',
  'OVD-012': 'Waar de overdracht vastlegt wie de directbetrokkenen informeert (een veld informeren, ook een leeg), staat elke gezaghebbende ouder daartussen.',
  'OVD-013': 'Een BSN doorstaat de elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is een veelvoud van 11, en het is niet 000000000.',
  'OVD-014': 'Elke directbetrokkene heeft een eigen id binnen het bericht.',
  'OVD-015':
    'De beoordeling (triage.afgerondOp) of dienst (dienstAfgerondOp) eindigde niet eerder dan de melding werd ontvangen (melding.ontvangenOp) en niet later dan het bericht werd verzonden (verzondenOp), gelijk aan een van beide mag; tijdstippen worden als tijdstip vergeleken, een datum (dienstAfgerondOp) met de kalenderdatum van een tijdstip in Europe/Amsterdam.',
  'OVD-016': 'Als Veilig Thuis na een dienst monitort, vallen de monitoringsmomenten 3 en 12 maanden na de overdracht daaronder.',
  'OVD-017': 'Een overdracht na een dienst zonder monitoring door Veilig Thuis zegt waarom het dossier kan worden gesloten (monitoring.toelichting).',
  'OVD-018': 'Toestemming voor de overdracht (toestemming) wordt alleen door gezaghebbende ouders gegeven.',
  'VVW-001': 'Elke veiligheidsvoorwaarde heeft een eigen id binnen haar set, zodat een wijziging ernaar kan verwijzen.',
  'VVW-002': 'De termijn van een veiligheidsvoorwaarde ligt niet vóór de datum waarop de voorwaarden zijn vastgesteld (beide kalenderdata in Europe/Amsterdam). Dat geldt ook in een wijziging: een overgenomen voorwaarde waarvan de termijn is verstreken, wordt niet ongewijzigd verzonden; de professional stelt een nieuwe termijn op of na de vastgesteldOp van de wijziging, of laat de voorwaarde weg; een systeem verschuift de termijn nooit zelf.',
  'VVW-003': 'Een wijziging van veiligheidsvoorwaarden verwijst (inAntwoordOp) naar de overdracht of eerdere wijziging die zij vervangt; deze regel vraagt de verwijzing, waarnaar zij verwijst is VVW-004.',
  'VVW-004': 'Een wijziging van veiligheidsvoorwaarden vervangt de voorwaarden van een bekende overdracht na een dienst of eerdere wijziging, met een hogere versie.',
  'VVW-005': 'Elke veiligheidsvoorwaarde noemt de risicofactoren waar zij op ingaat (risicofactoren).',
  'VVW-006': 'Een wijziging van veiligheidsvoorwaarden gaat naar elke ontvanger van het bericht dat zij wijzigt.',
  'VVW-007': 'Veiligheidsvoorwaarden zijn niet vastgesteld (vastgesteldOp) na de kalenderdatum in Europe/Amsterdam waarop het bericht dat ze bevat werd verzonden (verzondenOp).',
  'ONT-001': 'Een ontvangstbevestiging met status niet-geaccepteerd geeft de reden (reden).',
  'ONT-002': 'Een reden (reden) staat alleen bij status niet-geaccepteerd.',
  'ONT-003': 'Een ontvangstbevestiging verwijst (inAntwoordOp) naar de overdracht die zij bevestigt.',
  'ONT-004': 'Een ontvangstbevestiging beantwoordt een bekende overdracht die aan haar verzender was gericht (zijn OIN, in een van de ontvangers), en gaat terug naar de verzender van die overdracht: een van haar ontvangers heeft de OIN van die verzender. Meer ontvangers weigert deze regel niet (BER-012 laat alleen Veilig Thuis een ontvangstbevestiging ontvangen); een ontvanger stuurt zijn bevestiging alleen aan de verzender van de overdracht (receiver.md §9).',
  'ONT-005': 'Een overdracht is ontvangen (ontvangenOp) niet later dan de ontvangstbevestiging wordt verzonden.',
  'ONT-006':
    'Een overdracht is ontvangen (ontvangenOp) niet eerder dan zij werd verzonden, min de toegestane klokafwijking tussen beide partijen (5 minuten): ontvangenOp komt van de klok van de ontvanger, verzondenOp van die van Veilig Thuis; de 5 minuten horen bij deze regel, het is niet de instelbare klokafwijking van SIG-007.',
  'ONT-007': 'Een ontvangstbevestiging met status ontvangen zegt waar mogelijk wie de zaak oppakt (behandelaar); bij een acceptatie moet dat (ONT-009).',
  'ONT-008': 'Een ontvangende partij accepteert een overdracht één keer: een tweede ontvangstbevestiging geaccepteerd voor dezelfde overdracht wordt geweigerd.',
  'ONT-009':
    'Een ontvangstbevestiging met status geaccepteerd noemt wie de zaak oppakt en hoe die bereikbaar is: behandelaar met naam of team, en telefoon of e-mail. Zonder dat is niets belegd en wordt de acceptatie geweigerd.',
  'ONT-013': 'Een ontvangstbevestiging komt van een ontvanger van de overdracht die niet in kopie staat: een deelnemer die in de overdracht alleen in kopie staat, neemt kennis en stuurt geen bevestiging.',
  'LVC-001': 'Een levenscyclusbericht verwijst (inAntwoordOp) naar het bericht waarop het volgt: de overdracht, de escalatie die het beantwoordt, of het bericht waarvan de termijn verstreek.',
  'LVC-002': 'Een contact-gestart, monitoring, afsluiting of escalatie verwijst naar een overdracht van het dossier.',
  'LVC-003':
    'Een contact-gestart komt van een ontvanger van de overdracht die niet in kopie staat (een deelnemer met een vermelding niet in kopie); een monitoring van de verzender van de overdracht; een afsluiting of escalatie van de verzender of een van de ontvangers van de overdracht, in kopie of niet. Elk wordt vergeleken op OIN (verzender.oin), nooit op rol of gemeentecode.',
  'LVC-004': 'Het moment dat een levenscyclusbericht meldt (gestartOp, uitgevoerdOp, afgeslotenOp, verlopenOp) ligt niet na het verzenden van het bericht.',
  'LVC-005': 'Veilig Thuis monitort na een overdracht na een dienst waarvan de monitoringsafspraak dat zegt, niet na een directe overdracht (tenzij in het dossier vastgelegd).',
  'LVC-006': 'Een afsluiting met reden anders licht die toe (toelichting).',
  'LVC-007': 'Een escalatie-antwoord beantwoordt een escalatie van het dossier die aan de verzender was gericht.',
  'LVC-008': 'Een escalatie is gericht aan de verantwoordelijke gemeente: ten minste één ontvanger met de rol gemeente, niet in kopie.',
  'LVC-009': 'Een termijnsignaal is gericht aan de deelnemer die moet handelen (moetHandelen): een ontvanger met die OIN, in kopie of niet (een ontvanger in kopie telt; de gateway richt het niet in kopie aan die deelnemer).',
  'LVC-010': 'Een bericht is niet in de toekomst verzonden: verzondenOp ligt hoogstens 5 minuten na de klok van de gateway bij aankomst.',
  'LVC-011': 'Alleen de partij die zicht op veiligheid heeft op het moment dat de gateway de afsluiting aanneemt (de klok van de gateway, niet verzondenOp van de afsluiting), sluit het dossier af, volgens het regioprofiel.',
  'LVC-012': 'Een afgesloten dossier neemt geen berichten meer aan; een nieuwe melding is een nieuw dossier.',
  'VRW-001':
    'Een ontvangstbevestiging geaccepteerd van een overdracht aan twee of meer ontvangers (niet in kopie) noemt het team dat de regie heeft, zoals de gemeenten afspraken (afstemming.regie). Ontvangers tellen zoals BER-008 ze definieert, één per gemeente: een team dat voor twee gemeenten van het huishouden is genoemd, is twee ontvangers, en zijn ene bevestiging noemt wie de regie heeft (zichzelf of een ander).',
  'VRW-002':
    'Het team dat een afstemming de regie geeft (afstemming.regie) is een ontvanger (niet in kopie) van de overdracht die de bevestiging beantwoordt; een niet-geaccepteerd die een afstemming draagt, noemt een ander team dan de verzender zelf. De regel geldt alleen waar een afstemming is meegegeven: een niet-geaccepteerd heeft er geen nodig (VRW-001 vraagt er alleen een bij geaccepteerd), en een zonder wordt niet geweigerd.',
  'VRW-003': 'De afstemming noemt hetzelfde regieteam als de ontvangstbevestigingen van de andere ontvangers van de overdracht; tot zij het eens zijn, houdt Veilig Thuis zicht op veiligheid.',
  'SIG-001':
    'Een bericht draagt eerst de handtekening van de verzender, als goedgevormde losse JWS waarvan de beschermde header typ zicht-bericht+jws, kid, iat, de oin van de ondertekenaar en crit ["oin"] heeft, en hoogstens 4 handtekeningen in totaal (in de volgorde van een ontvanger en de gateway weigert het schema er geen of meer dan 4 eerst, als BER-006); een bericht aan de gateway draagt alleen die ene, een afgeleverd bericht daarna de medeondertekening van de gateway (typ zicht-ontvangst+jws, met rcv en crit ["oin", "rcv"]), en elke volgende is ook een medeondertekening. Een crit die ontbreekt, niet precies de velden van haar soort noemt of RFC 7515 §4.1.11 breekt, breekt deze regel; een crit die een veld noemt dat Zicht niet kent, breekt SIG-002, wat ze verder ook noemt.',
  'SIG-002':
    'Een handtekening gebruikt ES256, PS256 of EdDSA (Ed25519), passend bij de sleutel die haar kid noemt (ES256 een EC-sleutel op P-256, PS256 een RSA-sleutel van ten minste 2048 bits, EdDSA een OKP-sleutel op Ed25519; de alg van de JWK, als die er een heeft, gelijk daaraan); none, HS* en elk ander algoritme worden geweigerd, net als een crit die een veld noemt dat Zicht niet kent (ook b64; ook naast oin, zoals crit ["oin", "x"]). Andere headervelden worden genegeerd en nooit gebruikt om een sleutel te vinden.',
  'SIG-003':
    'De kid van een handtekening noemt een geregistreerde sleutel van de ondertekenaar die geldig is op het beoordelingsmoment: niet vóór nbf, niet op of na exp of revokedAt. Dat moment is de eigen klok van de gateway bij ontvangst, voor een ontvanger of auditor de rcv van de eerste medeondertekening, voor een bericht zonder medeondertekening het nu van wie controleert; nooit de iat van de ondertekenaar (spec/v1/time-and-keys.md). De gateway blijft elke sleutel met zijn geldigheid publiceren zolang hij een bericht bewaart dat ermee is ondertekend of medeondertekend (time-and-keys.md §4).',
  'SIG-004':
    'De handtekening van de verzender is door de verzender gezet (haar oin is verzender.oin); een medeondertekening door een deelnemer met de rol gateway: voor een ontvanger zonder register de gateway met de OIN en het adres waarmee hij is ingesteld, met een sleutel uit de sleutelset van die gateway.',
  'SIG-005': 'Elke handtekening klopt over de canonieke vorm (RFC 8785) van het bericht zonder het veld signatures.',
  'SIG-006':
    'Een beschermde JWS-header (de handtekening van de verzender, een medeondertekening) en de header en claims van een bearer token noemen geen veld twee keer (namen vergeleken na het ontsleutelen van escapes); zo\'n header of token wordt geweigerd, nooit gelezen alsof de laatste telt.',
  'SIG-007':
    'De iat van een handtekening ligt hoogstens de toegestane klokafwijking (standaard 5 minuten) na het beoordelingsmoment, en de rcv van een medeondertekening hoogstens die afwijking na de klok van wie controleert: de iat van een ondertekenaar is een bewering, geen bewijs.',
  'SIG-008':
    'De iat van een handtekening ligt hoogstens 7 dagen (standaard) vóór het beoordelingsmoment; een ouder bericht dat de gateway al eerder aannam, krijgt zijn oorspronkelijke ontvangstbewijs (BER-015). Een verzender ondertekent een bericht opnieuw vóór een poging als zijn handtekening ouder zou zijn of zijn sleutel niet meer geldig is (zelfde berichtId, zelfde inhoud); een bericht dat de gateway met 4xx weigerde, ook om zijn handtekening, wordt nooit opnieuw verzonden: een nieuw berichtId en het volgende volgnummer vervangen het.',
  'RTE-001': 'De verzender is een actieve deelnemer, geregistreerd met de rol waarmee hij verzendt (verzender.rol).',
  'RTE-002':
    'Elke ontvanger is een actieve deelnemer, geregistreerd met de rol waarmee hij wordt aangeschreven en, voor een gemeente of lokaal team, de gemeentecode bedienend waarvoor hij wordt aangeschreven.',
  'RTE-003': 'Elke gemeente waar het huishouden van een overdracht woont, wordt bediend door een actieve deelnemer met de rol gemeente of lokaal team, zodat de overdracht kan worden afgeleverd in plaats van eindeloos te wachten.',
  'RTE-004':
    'Geen ontvanger heeft een volle uitgaande wachtrij (standaard 10.000 niet-afgeleverde berichten): zolang dat zo is, antwoordt de gateway 503 met Retry-After en stuurt de verzender hetzelfde bericht later opnieuw.',
  'ENC-001':
    'Een versleutelingssleutel is een publieke JWK met use enc: RSA (ten minste 2048 bits) met alg RSA-OAEP-256, of EC P-256, P-384 of OKP X25519 met alg ECDH-ES; zonder private velden, met als kid haar RFC 7638-thumbprint en een geldigheidsvenster (nbf, exp, revokedAt).',
  'ENC-002': 'Een deelnemer met versleutelingssleutels ontvangt via de Zicht-API (een zicht-v1- of webhookadres, of zijn postbus), niet via het FHIR-kanaal, dat geen versleutelde vorm heeft.',
  'ENC-003':
    'Aan een ontvanger met een geldige versleutelingssleutel stuurt de gateway elke inhoud met berichten (push en postbuspagina) als JWE compact serialization (application/jose) aan de laatst geldige sleutel, enc A256GCM, met kid en cty application/json, met als platte tekst de JSON die anders zou worden gestuurd; is er eenmaal een sleutel geldig geweest, dan krijgt een ontvanger zonder geldige sleutel niets in plaats van platte tekst.',
  'ENC-004':
    'Een ontvanger ontsleutelt met de sleutel die de kid noemt, aanvaardt alleen RSA-OAEP-256 of ECDH-ES met A256GCM en geen andere headervelden dan alg, enc, kid, cty en epk (epk aanwezig bij ECDH-ES en afwezig bij RSA-OAEP-256), en valideert en controleert daarna de platte tekst als een gewoon bericht; wat niet ontsleutelt wordt geweigerd met 400.',
  'AFL-001':
    'Een ontvanger neemt elk geldig bericht aan dat aan hem is gericht, van elke soort die BER-012 zijn rol laat ontvangen, en antwoordt pas 2xx als hij het bericht duurzaam heeft opgeslagen (of het al had van een eerdere aflevering), binnen 10 seconden; ontvangstbevestigingen en andere reacties volgen daarna als eigen berichten, nooit in het antwoord.',
  'AFL-002':
    'Een ontvanger neemt een aflevering alleen aan met een geldig afleveringstoken: een JWT zonder crit of b64 in de header, ondertekend met een nu geldige sleutel uit de sleutelset van de gateway (GET /v1/deelnemers/{gatewayOin}/jwks), iss de OIN van de gateway, aud de OIN van de ontvanger, exp hoogstens 300 seconden na iat, en binnen de klokafwijking van 5 minuten van nu volgens zijn eigen klok (iat en nbf hoogstens de afwijking na nu, exp na nu min de afwijking), en een jti die geen enkele instantie van hem eerder aannam, ook niet voor een herstart; anders antwoordt hij 401 (503 als de sleutelset van de gateway niet te krijgen is, AFL-004).',
  'AFL-003': 'Een ontvanger neemt alleen een bericht aan dat hem bij de ontvangers noemt met zijn eigen OIN en, als zijn ingestelde rol gemeente of lokaal team is (niet de rol van de vermelding), een gemeentecode die hij bedient; anders antwoordt hij 422 met verwijzing naar deze regel.',
  'AFL-004':
    'Een ontvanger neemt nooit een bericht aan waarvan hij de handtekeningen niet heeft gecontroleerd, en controleert met een sleutelset die hij hoogstens 300 seconden eerder ophaalde (opnieuw opgehaald voor een kid die hij niet heeft): kan hij de sleutels niet krijgen (geen antwoord binnen 5 seconden, een mislukte verbinding, een andere status dan 200 of 404, een antwoord dat geen JWK Set is, of 404 voor de OIN van de gateway zelf) en heeft hij geen zulke set met die kid, dan antwoordt hij 503, zodat de gateway het opnieuw probeert; nooit 2xx, nooit 4xx.',
  'AFL-005':
    'Elke ontvanger van een overdracht die niet in kopie staat, stuurt na het aannemen één ontvangstbevestiging met status ontvangen, zonder op een mens te wachten; geaccepteerd en niet-geaccepteerd volgen op een besluit; geen ontvangstbevestiging beantwoordt een andere soort bericht.',
  'AFL-006':
    'Een ontvanger neemt een bericht dat hij al heeft (zelfde berichtId, zelfde inhoud) opnieuw aan met 2xx, zonder de handtekeningen opnieuw te controleren (die vergelijking komt direct na de inhoudsregels), en handelt er één keer naar: geen tweede ontvangstbevestiging of andere reactie; van twee pogingen die elkaar overlappen slaat hij er één op en beantwoordt hij de andere met 2xx zodra die is opgeslagen, of met 503 zolang dat nog niet zo is.',
  'AFL-007':
    'Een ontvanger weigert met application/problem+json waarvan de issues regel-id\'s noemen en geen waarden: 400 voor invoer die geen JSON-tekst is (BER-001, BER-003, BER-017) of niet ontsleutelt (ENC-004), 401 voor het afleveringstoken, 409 voor BER-015, 413 voor BER-002, 415 voor een ander mediatype, 422 voor elke andere regel, 503 als hij nu niet kan beslissen.',
  'AFL-008':
    'De gateway telt een 2xx als afgeleverd; hij probeert het opnieuw na 401, 408, 425, 429, 5xx of geen antwoord binnen 10 seconden, niet vóór een Retry-After (van hoogstens een uur), tot de herhaaltermijn (5 dagen) eindigt; elk ander antwoord, en het einde van de termijn, maken de aflevering onbestelbaar, status mislukt voor de verzender.',
  'CFG-001': 'Elke vermelding in een registerbestand volgt het schema voor deelnemers, en een regioprofiel dat zij noemt (profiel) is er een dat in spec/v1/profiles is gepubliceerd; een weigering noemt de vermelding (haar index en OIN), het veld en wat eraan mankeert.',
  'CFG-002': 'Het register bevat de gateway zelf: een actieve deelnemer met de rol gateway, met de OIN van de ondertekeningssleutel en die sleutel (kid en publieke sleutel) onder zijn sleutels.',
  'CFG-003': 'Een configuratiebestand (zicht.json) volgt zijn schema: geen onbekende velden, elk getal binnen bereik; opties op de opdrachtregel gaan voor de waarden erin.',
  'CFG-004':
    'Een afleveradres op een loopback-, privé- of link-local-adres (of met de naam localhost) wordt bij de start geweigerd, tenzij de gateway draait met --allow-private-endpoints (allowPrivateEndpoints: true in het configuratiebestand).',
  'CFG-005': 'Elk bestand dat de configuratie noemt (ondertekeningssleutel, logsleutel, keyring, register, bewaarbeleid) bestaat en is leesbaar bij de start; een relatief pad is relatief aan de map van het configuratiebestand.',
  'CFG-010':
    'Zolang de database van de gateway niet beschikbaar is (verbindingen geweigerd of verbroken, langer dan de wachttijd vergrendeld door een ander proces, alleen-lezen, vol), krijgt een verzoek dat haar nodig heeft 503 met Retry-After en wordt niets opgeslagen: nooit 202 zonder opslag, nooit 500; de verzender stuurt hetzelfde bericht later opnieuw.',
  'CFG-020':
    'De jti van een bearer-token wordt eenmaal aanvaard tot het token verloopt, door elk gatewayproces op één database. Een schrijvend verzoek (elke methode behalve GET en HEAD) wordt pas beantwoord als de jti in de database is vastgelegd; lukt dat niet, dan is het antwoord 503 (CFG-010) en blijft het token ongebruikt. Een lezend verzoek (GET, HEAD) wordt als herhaling geweigerd als dit proces of de database de jti kent, maar wacht hoogstens 250 ms tot de database hem vastlegt: zolang de database dat niet kan (een ander proces houdt de schrijfvergrendeling van SQLite vast, ze is alleen-lezen of vol), wordt het verzoek beantwoord op het eigen register van dit proces en volgt de vastlegging in de database zodra die het aanneemt. In die tussentijd wordt een herhaling van het token van dat lezende verzoek bij een ander proces op dezelfde database niet ontdekt; een die achteraf wordt gevonden, wordt gelogd.',
  'BER-030':
    'De pad- en queryparameters van een verzoek hebben de vorm die openapi.json ze geeft (een OIN van 20 cijfers, een berichtId dat een UUID is, een dossierreferentie, een paginagrootte van 1 tot 1000, een tijdstip niet in de toekomst, een logindex binnen het log); anders is het antwoord 400 (nooit 404) met een issue waarvan het pad de parameter noemt als $.path.NAAM of $.query.NAAM.',
  'BER-031':
    'Elke operatie die niet openbaar is, wordt aangeroepen door een actieve deelnemer, met zijn clientcertificaat of een bearer-token ondertekend met een van zijn geregistreerde sleutels voor de OIN van de gateway, hoogstens 5 minuten geldig en nooit eerder gebruikt; anders is het antwoord 401 met WWW-Authenticate: Bearer en een issue waarvan de code zegt waarom (ZICHT_AUTH_MISSING, ZICHT_AUTH_TOKEN_INVALID, ZICHT_AUTH_TOKEN_REPLAYED, ZICHT_AUTH_UNKNOWN_PARTICIPANT).',
};

/** The Dutch text of a rule, or `undefined` for an id without one. */
export function regelTekstNl(id: string): string | undefined {
  return Object.hasOwn(REGELS_NL, id) ? REGELS_NL[id] : undefined;
}
