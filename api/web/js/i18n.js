// i18n.js: every text a person reads, in Dutch (the default: the users are Dutch)
// and English, with the formatting of dates, day parts, qualifications and the
// sentences built from API data (errors, the funnel and what-if of an unfilled
// staff-slot).  The
// choice of language is remembered in localStorage; it holds nothing else.

const LANG_KEY = 'handen.lang';

const NL = {
  'app.title': 'handen — extra handen voor de noodopvang',
  'nav.label': 'Hoofdmenu', 'nav.school': 'Hulpvragen', 'nav.organisation': 'Medewerkers',
  'nav.dashboard': 'Overzicht', 'nav.proposals': 'Voorstellen', 'nav.unfilled': 'Open plekken',
  'lang.switch': 'English', signout: 'Afmelden', skip: 'Naar de inhoud',
  'role.school': 'School', 'role.organisation': 'Kinderopvang', 'role.coordinator': 'Coördinator',
  cancel: 'Annuleren', close: 'Sluiten',
  'busy.loading': 'Laden…', 'busy.saving': 'Bezig met opslaan…', 'busy.cancelling': 'Bezig met annuleren…',
  'error.page': 'Deze pagina kon niet worden geladen. Vernieuw de pagina of meld u opnieuw aan.',
  'error.401': 'Uw toegangscode is niet (meer) geldig. Meld u opnieuw aan.',
  'error.403': 'Dit mag niet met uw toegangscode.',
  'error.404': 'Dit bestaat niet (meer), of valt buiten uw gebied.',
  'error.409': 'Dat kan nu niet: de situatie is intussen veranderd. Vernieuw de pagina en probeer het opnieuw.',
  'error.413': 'Wat u verstuurt is te groot.',
  'error.503': 'De gegevens zijn even niet bereikbaar. Probeer het over een minuut opnieuw.',
  'error.network': 'De server is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.',
  'error.other': 'Er ging iets mis ({status}): {message}',
  'signin.title': 'Aanmelden', 'signin.intro': 'Meld u aan met de toegangscode die u van de coördinator kreeg.',
  'signin.token': 'Toegangscode', 'signin.hint': 'Begint met "hnd_". De code blijft alleen in dit tabblad bewaard.',
  'signin.submit': 'Aanmelden', 'signin.busy': 'Controleren…', 'signin.empty': 'Vul uw toegangscode in.',
  'signin.bad': 'Deze toegangscode kennen we niet, of hij is ingetrokken. Controleer hem of vraag een nieuwe aan.',
  'signin.about.title': 'Wat is handen?',
  'signin.about.text': 'Scholen vragen extra handen voor de noodopvang, kinderopvangorganisaties bieden medewerkers aan, en de coördinator koppelt ze per wijk.',
  'school.title': 'Hulpvragen van uw school', 'school.title.named': 'Hulpvragen van {name}',
  'school.intro': 'Vraag extra handen voor de noodopvang en zie per dagdeel wie er komt.',
  'school.calendar': 'Agenda downloaden (.ics)',
  'school.form.title': 'Nieuwe hulpvraag', 'school.form.when': 'Wanneer?',
  'school.form.mode.dates': 'Losse dagen', 'school.form.mode.weekly': 'Elke week (patroon)',
  'school.form.dates': 'Datum', 'school.form.adddate': 'Datum toevoegen', 'school.form.nodates': 'Nog geen dagen gekozen.',
  'school.form.removedate': '{date} verwijderen',
  'school.form.from': 'Van', 'school.form.to': 'Tot en met', 'school.form.weekdays': 'Op welke dagen',
  'school.form.parts': 'Dagdelen', 'school.form.amountkind': 'Wat weet u?',
  'school.form.staff': 'Aantal medewerkers', 'school.form.children': 'Verwacht aantal kinderen',
  'school.form.amounthint': 'Bij een aantal kinderen rekent handen zelf uit hoeveel medewerkers nodig zijn.',
  'school.form.amount': 'Aantal', 'school.form.ownstaff': 'Eigen personeel',
  'school.form.ownstaffhint': 'Alleen bij een aantal kinderen: zoveel medewerkers heeft u zelf.',
  'school.form.required': 'Vereist', 'school.form.voghint': 'Een VOG is altijd vereist.',
  'school.form.preferred': 'Gewenst', 'school.form.priority': 'Urgentie',
  'school.form.travel': 'Maximale reisafstand (km)', 'school.form.travelhint': 'Leeg laten voor de standaard.',
  'school.form.note': 'Opmerking (voor de coördinator)', 'school.form.submit': 'Hulpvraag plaatsen',
  'school.form.created': 'Hulpvraag {id} is geplaatst.',
  'school.form.createdwarn': 'Hulpvraag {id} is geplaatst, met {n} waarschuwing(en): zie de hulpvraag.',
  'warning.label': 'Let op',
  'warning.weekend': 'in het weekend: {slots}. Opgeslagen, maar scholen zijn dan dicht.',
  'warning.no_vog': 'Opgeslagen, maar wordt nooit voorgesteld tot er een geldige VOG is vastgelegd.',
  'school.form.problems': 'Controleer het formulier: {n} punt(en) om aan te passen.',
  'school.list.title': 'Uw hulpvragen', 'school.list.empty': 'U heeft nog geen hulpvragen.',
  'school.list.emptyhint': 'Plaats er een met het formulier; u ziet hier dan per dagdeel wie er komt.',
  'school.request': 'Hulpvraag {id}', 'school.staffneeded': '{n} medewerker(s) per dagdeel',
  'school.childrenexpected': '{n} kinderen verwacht', 'school.progress': '{approved} van {needed} plekken ingevuld',
  'school.requires': 'vereist', 'school.open': '{n} open', 'school.full': 'rond',
  'school.staffing.caption': 'Bezetting per dagdeel van hulpvraag {id}',
  'school.cancel': 'Hulpvraag annuleren', 'school.cancel.confirm': 'Hulpvraag {id} annuleren? Ingeplande medewerkers komen dan niet.',
  'school.cancelled': 'Hulpvraag {id} is geannuleerd.',
  'status.open': 'open', 'status.cancelled': 'geannuleerd',
  'priority.normal': 'Normaal', 'priority.high': 'urgent', 'priority.high.long': 'Urgent: groep met kwetsbare kinderen',
  'col.date': 'Datum', 'col.part': 'Dagdeel', 'col.filled': 'Ingevuld', 'col.open': 'Open', 'col.who': 'Wie komt er',
  'col.name': 'Naam', 'col.quals': 'Kwalificaties', 'col.partsweek': 'Dagdelen/week', 'col.travel': 'Reisafstand',
  'col.assigned': 'Ingezet',
  'org.title': 'Uw medewerkers', 'org.intro': 'Bied medewerkers aan, geef aan wanneer ze kunnen en zie waar ze worden ingezet.',
  'org.employees': 'Medewerkers', 'org.add': 'Medewerker toevoegen',
  'org.employees.empty': 'Er staan nog geen medewerkers op de lijst.',
  'org.employees.emptyhint': 'Voeg een medewerker toe en geef daarna de beschikbaarheid aan.',
  'org.edit': 'Bewerken', 'org.availability': 'Beschikbaarheid', 'org.inactive': 'niet actief', 'org.novog': 'geen VOG',
  'org.form.new': 'Nieuwe medewerker', 'org.form.edit': '{name} bewerken', 'org.form.name': 'Naam',
  'org.form.district': 'Wijk', 'org.form.parts': 'Max. dagdelen per week', 'org.form.partshint': '1 tot 14',
  'org.form.travel': 'Max. reisafstand (km)', 'org.form.quals': 'Kwalificaties',
  'org.form.qualshint': 'Zonder VOG wordt iemand nooit voorgesteld.', 'org.form.active': 'Actief (kan worden voorgesteld)',
  'org.form.add': 'Toevoegen', 'org.form.save': 'Opslaan', 'org.form.saved': '{name} is opgeslagen.',
  'org.form.savednovog': '{name} is opgeslagen, maar zonder VOG: wordt nooit voorgesteld.',
  'org.availability.title': 'Beschikbaarheid van {name}',
  'org.availability.hint': 'Klik op een dagdeel om het aan of uit te zetten, en sla daarna op.',
  'org.week': 'Week {week}: {from} – {to}', 'org.prevweek': '← Vorige week', 'org.nextweek': 'Volgende week →',
  'org.available': 'beschikbaar', 'org.saveavailability': 'Beschikbaarheid opslaan',
  'org.availabilitysaved': 'Beschikbaarheid van {name} is opgeslagen.',
  'org.assignments': 'Waar uw medewerkers zijn ingezet', 'org.calendar': 'Agenda (.ics)',
  'org.assignments.empty': 'Nog geen goedgekeurde inzet.',
  'org.assignments.emptyhint': 'Zodra de coördinator een voorstel goedkeurt, ziet u hier wie waar werkt.',
  'coord.title': 'Overzicht alle wijken', 'coord.title.district': 'Overzicht {name}', 'coord.district': 'Wijk',
  'coord.alldistricts': 'Alle wijken',
  'coord.stat.requests': 'Open hulpvragen', 'coord.stat.needed': 'Plekken nodig',
  'coord.stat.neededdetail': 'medewerker × dagdeel, gevraagd door open hulpvragen',
  'coord.stat.proposed': 'Voorgesteld', 'coord.stat.proposeddetail': 'wachten op een besluit',
  'coord.stat.approved': 'Goedgekeurd', 'coord.stat.approveddetail': 'toegezegde inzet',
  'coord.stat.open': 'Nog open', 'coord.stat.opendetail': 'nodig − goedgekeurd − voorgesteld',
  'coord.stat.children': 'Kinderen in noodopvang',
  'coord.stat.childrendetail': 'verwacht op de drukste dag ({date})', 'coord.stat.nochildren': 'geen aantallen opgegeven',
  'coord.stat.rate': 'Vullingsgraad', 'coord.stat.ratedetail': 'goedgekeurd / nodig; met de voorstellen {rate}',
  'coord.nodays': 'Geen open hulpvragen in deze wijk.',
  'chart.heading': 'Nodig, voorgesteld en goedgekeurd per dag',
  'chart.title': 'Plekken nodig, voorgesteld en goedgekeurd per dag',
  'chart.needed': 'nodig', 'chart.proposed': 'voorgesteld', 'chart.filled': 'goedgekeurd',
  'chart.astable': 'Toon als tabel',
  'coord.round.title': 'Matchingsronde',
  'coord.round.intro': 'Een ronde stelt de best passende medewerkers voor. Goedgekeurde inzet blijft staan.',
  'coord.round.start': 'Ronde starten', 'coord.round.busy': 'Ronde loopt…',
  'coord.round.running': 'Ronde {id} loopt… ({seconds} s)', 'coord.round.done': 'Ronde {id} is klaar.',
  'coord.round.stats': '{proposals} voorstellen; {filled} van de {needed} plekken zonder goedkeuring voorgesteld ({rate}).',
  'coord.round.failed': 'Ronde {id} is mislukt: {error}', 'coord.round.review': 'Voorstellen beoordelen',
  'coord.round.unfilled': '{n} open plek(ken) bekijken',
  'coord.round.conflict': 'Er loopt al een ronde. Wacht tot die klaar is.',
  'coord.export.title': 'Exporteren', 'coord.export.intro': 'Goedgekeurde inzet als spreadsheet of als agenda per school.',
  'coord.export.csv': 'Inzet downloaden (CSV)', 'coord.export.school': 'Agenda van een school',
  'coord.export.pickschool': 'Kies een school…', 'coord.export.ics': 'Agenda downloaden (.ics)',
  'coord.export.pickfirst': 'Kies eerst een school.',
  'proposals.title': 'Voorstellen beoordelen',
  'proposals.intro': 'Per school en dag: wie is voorgesteld, hoe ver weg, en waarom. Keur goed of wijs af, één voor één of in één keer.',
  'proposals.loading': 'Voorstellen laden…', 'proposals.bulk': 'Selectie',
  'proposals.selected': '{n} van {total} geselecteerd', 'proposals.approve.n': 'Goedkeuren ({n})',
  'proposals.reject.n': 'Afwijzen ({n})', 'proposals.approve': 'Goedkeuren', 'proposals.reject': 'Afwijzen',
  'proposals.approveschool': 'Alle {n} goedkeuren', 'proposals.count': '{n} voorstel(len)',
  'proposals.selectschool': 'Alle voorstellen voor {name} selecteren',
  'proposals.selectone': '{name}, {date} {part} selecteren', 'proposals.km': '{km} km reizen',
  'proposals.progress': '{done} van {n} verwerkt…', 'proposals.approved': '{n} voorstel(len) goedgekeurd.',
  'proposals.rejected': '{n} voorstel(len) afgewezen.', 'proposals.failed': '{n} voorstel(len) lukte niet:',
  'proposals.empty': 'Er wachten geen voorstellen op een besluit.',
  'proposals.emptyhint': 'Start een ronde op het overzicht om nieuwe voorstellen te krijgen.',
  'proposals.reject.title': '{n} voorstel(len) afwijzen', 'proposals.reject.reason': 'Reden (wordt vastgelegd)',
  'proposals.reject.needreason': 'Geef een reden op.',
  'why.samedistrict': 'zelfde wijk', 'why.neighbour': 'buurwijk', 'why.otherdistrict': 'andere wijk',
  'why.preferred': 'heeft gewenst: {quals}',
  'why.knowsschool': 'werkt al op deze school', 'why.continuity': 'zelfde gezicht: meer dagdelen bij deze hulpvraag',
  'unfilled.title': 'Open plekken',
  'unfilled.intro': 'Plekken die de laatste ronde niet kon vullen, met de reden in gewone woorden.',
  'unfilled.round': 'Uit ronde {id} ({when}).', 'unfilled.none': 'Alle plekken zijn gevuld. Mooi!',
  'unfilled.noround': 'Er is nog geen ronde gedraaid.', 'unfilled.noroundhint': 'Start een ronde op het overzicht.',
  'unfilled.missing': '{missing} van {needed} open', 'unfilled.request': 'Hulpvraag {id}',
  'funnel.nobody': 'niemand met een VOG beschikbaar die {part}',
  'funnel.available': '{n} beschikbaar die {part}', 'funnel.with': 'met {quals}',
  'funnel.withrequired': 'met de vereiste kwalificaties', 'funnel.within': 'binnen {km} km',
  'funnel.notrejected': 'niet afgewezen voor deze hulpvraag', 'funnel.free': 'nog vrij',
  'funnel.allrejected': 'allemaal afgewezen voor deze hulpvraag',
  'funnel.none': 'niemand {what}', 'funnel.count': '{n} {what}', 'funnel.taken': 'ingezet bij {list}',
  'part.morning.that': 'ochtend', 'part.afternoon.that': 'middag',
  'whatif.label': 'Wat als',
  'whatif.found': 'Gevuld als {what}.', 'whatif.foundmore': 'Eén plek meer gevuld als {what}.',
  'whatif.travel.request': 'de reisafstand van de hulpvraag {to} km was in plaats van {from}',
  'whatif.travel.employee': '{employee} {to} km wilde reizen in plaats van {from}',
  'whatif.preferred': '{qual} gewenst was in plaats van vereist',
  'whatif.extra_day_part': '{employee} die week één dagdeel meer kon werken ({to} in plaats van {from})',
  'whatif.yield': '{request} ({priority}) zijn {part} afstond', 'whatif.yield.staff': ' ({n} krachten)',
  'whatif.priority.normal': 'normale prioriteit', 'whatif.priority.high': 'hoge prioriteit',
  'whatif.none': 'Geen enkele versoepeling alleen zou deze plek vullen.',
  'whatif.skipped': 'Niet onderzocht: het budget voor wat-als was op.',
  and: 'en',
  'day.mon': 'ma', 'day.tue': 'di', 'day.wed': 'wo', 'day.thu': 'do', 'day.fri': 'vr', 'day.sat': 'za', 'day.sun': 'zo',
  'part.morning': 'ochtend', 'part.afternoon': 'middag',
  'qual.vog': 'VOG', 'qual.pm': 'PM-diploma', 'qual.bso': 'BSO-ervaring', 'qual.kdv': 'KDV-ervaring',
  'qual.first-aid': 'EHBO voor kinderen', 'qual.special-needs': 'ervaring speciale zorg',
};

const EN = {
  'app.title': 'handen — extra hands for emergency care',
  'nav.label': 'Main menu', 'nav.school': 'Requests', 'nav.organisation': 'Employees',
  'nav.dashboard': 'Dashboard', 'nav.proposals': 'Proposals', 'nav.unfilled': 'Unfilled',
  'lang.switch': 'Nederlands', signout: 'Sign out', skip: 'Skip to content',
  'role.school': 'School', 'role.organisation': 'Childcare', 'role.coordinator': 'Coordinator',
  cancel: 'Cancel', close: 'Close',
  'busy.loading': 'Loading…', 'busy.saving': 'Saving…', 'busy.cancelling': 'Cancelling…',
  'error.page': 'This page could not be loaded. Reload it or sign in again.',
  'error.401': 'Your access token is not (or no longer) valid. Please sign in again.',
  'error.403': 'Your access token does not allow this.',
  'error.404': 'This does not exist (any more), or is outside your area.',
  'error.409': 'That is not possible now: things have changed meanwhile. Reload the page and try again.',
  'error.413': 'What you are sending is too large.',
  'error.503': 'The data cannot be reached right now. Try again in a minute.',
  'error.network': 'The server cannot be reached. Check your connection and try again.',
  'error.other': 'Something went wrong ({status}): {message}',
  'signin.title': 'Sign in', 'signin.intro': 'Sign in with the access token the coordinator gave you.',
  'signin.token': 'Access token', 'signin.hint': 'Starts with "hnd_". It is kept in this browser tab only.',
  'signin.submit': 'Sign in', 'signin.busy': 'Checking…', 'signin.empty': 'Enter your access token.',
  'signin.bad': 'This access token is unknown or revoked. Check it or ask for a new one.',
  'signin.about.title': 'What is handen?',
  'signin.about.text': 'Schools ask for extra hands for emergency care, childcare organisations offer employees, and the coordinator links them per district.',
  'school.title': 'Your school\'s requests', 'school.title.named': 'Requests of {name}',
  'school.intro': 'Ask for extra hands for emergency care and see who comes, per day part.',
  'school.calendar': 'Download calendar (.ics)',
  'school.form.title': 'New request', 'school.form.when': 'When?',
  'school.form.mode.dates': 'Single days', 'school.form.mode.weekly': 'Every week (pattern)',
  'school.form.dates': 'Date', 'school.form.adddate': 'Add date', 'school.form.nodates': 'No days chosen yet.',
  'school.form.removedate': 'Remove {date}',
  'school.form.from': 'From', 'school.form.to': 'To (inclusive)', 'school.form.weekdays': 'On which days',
  'school.form.parts': 'Day parts', 'school.form.amountkind': 'What do you know?',
  'school.form.staff': 'Number of staff', 'school.form.children': 'Expected number of children',
  'school.form.amounthint': 'Given a number of children, handen works out how many staff are needed.',
  'school.form.amount': 'Number', 'school.form.ownstaff': 'Own staff',
  'school.form.ownstaffhint': 'Only with a number of children: the staff you have yourself.',
  'school.form.required': 'Required', 'school.form.voghint': 'A certificate of conduct (VOG) is always required.',
  'school.form.preferred': 'Preferred', 'school.form.priority': 'Urgency',
  'school.form.travel': 'Maximum travel distance (km)', 'school.form.travelhint': 'Leave empty for the default.',
  'school.form.note': 'Note (for the coordinator)', 'school.form.submit': 'Post request',
  'school.form.created': 'Request {id} has been posted.',
  'school.form.createdwarn': 'Request {id} has been posted, with {n} warning(s): see the request.',
  'warning.label': 'Note',
  'warning.weekend': 'at the weekend: {slots}. Stored, but schools are closed then.',
  'warning.no_vog': 'Stored, but never proposed until a valid VOG is recorded.',
  'school.form.problems': 'Please check the form: {n} thing(s) to fix.',
  'school.list.title': 'Your requests', 'school.list.empty': 'You have no requests yet.',
  'school.list.emptyhint': 'Post one with the form; you will see here who comes, per day part.',
  'school.request': 'Request {id}', 'school.staffneeded': '{n} staff per day part',
  'school.childrenexpected': '{n} children expected', 'school.progress': '{approved} of {needed} places filled',
  'school.requires': 'requires', 'school.open': '{n} open', 'school.full': 'filled',
  'school.staffing.caption': 'Staffing per day part of request {id}',
  'school.cancel': 'Cancel request', 'school.cancel.confirm': 'Cancel request {id}? Planned staff will then not come.',
  'school.cancelled': 'Request {id} has been cancelled.',
  'status.open': 'open', 'status.cancelled': 'cancelled',
  'priority.normal': 'Normal', 'priority.high': 'urgent', 'priority.high.long': 'Urgent: group with vulnerable children',
  'col.date': 'Date', 'col.part': 'Day part', 'col.filled': 'Filled', 'col.open': 'Open', 'col.who': 'Who comes',
  'col.name': 'Name', 'col.quals': 'Qualifications', 'col.partsweek': 'Day parts/week', 'col.travel': 'Travel',
  'col.assigned': 'Assigned',
  'org.title': 'Your employees', 'org.intro': 'Offer employees, say when they can help, and see where they are assigned.',
  'org.employees': 'Employees', 'org.add': 'Add employee',
  'org.employees.empty': 'There are no employees on the list yet.',
  'org.employees.emptyhint': 'Add an employee, then set their availability.',
  'org.edit': 'Edit', 'org.availability': 'Availability', 'org.inactive': 'inactive', 'org.novog': 'no VOG',
  'org.form.new': 'New employee', 'org.form.edit': 'Edit {name}', 'org.form.name': 'Name',
  'org.form.district': 'District', 'org.form.parts': 'Max. day parts per week', 'org.form.partshint': '1 to 14',
  'org.form.travel': 'Max. travel distance (km)', 'org.form.quals': 'Qualifications',
  'org.form.qualshint': 'Without a VOG nobody is ever proposed.', 'org.form.active': 'Active (can be proposed)',
  'org.form.add': 'Add', 'org.form.save': 'Save', 'org.form.saved': '{name} has been saved.',
  'org.form.savednovog': '{name} has been saved, but without a VOG: never proposed.',
  'org.availability.title': 'Availability of {name}',
  'org.availability.hint': 'Click a day part to switch it on or off, then save.',
  'org.week': 'Week {week}: {from} – {to}', 'org.prevweek': '← Previous week', 'org.nextweek': 'Next week →',
  'org.available': 'available', 'org.saveavailability': 'Save availability',
  'org.availabilitysaved': 'The availability of {name} has been saved.',
  'org.assignments': 'Where your employees are assigned', 'org.calendar': 'Calendar (.ics)',
  'org.assignments.empty': 'No approved assignments yet.',
  'org.assignments.emptyhint': 'As soon as the coordinator approves a proposal, you will see here who works where.',
  'coord.title': 'Dashboard, all districts', 'coord.title.district': 'Dashboard {name}', 'coord.district': 'District',
  'coord.alldistricts': 'All districts',
  'coord.stat.requests': 'Open requests', 'coord.stat.needed': 'Staff-slots needed',
  'coord.stat.neededdetail': 'staff × day part, asked by open requests',
  'coord.stat.proposed': 'Proposed', 'coord.stat.proposeddetail': 'awaiting a decision',
  'coord.stat.approved': 'Approved', 'coord.stat.approveddetail': 'committed assignments',
  'coord.stat.open': 'Still open', 'coord.stat.opendetail': 'needed − approved − proposed',
  'coord.stat.children': 'Children in emergency care',
  'coord.stat.childrendetail': 'expected on the busiest day ({date})', 'coord.stat.nochildren': 'no numbers given',
  'coord.stat.rate': 'Fill rate', 'coord.stat.ratedetail': 'approved / needed; with the proposals {rate}',
  'coord.nodays': 'No open requests in this district.',
  'chart.heading': 'Needed, proposed and approved per day',
  'chart.title': 'Staff-slots needed, proposed and approved per day',
  'chart.needed': 'needed', 'chart.proposed': 'proposed', 'chart.filled': 'approved',
  'chart.astable': 'Show as a table',
  'coord.round.title': 'Matching round',
  'coord.round.intro': 'A round proposes the best fitting employees. Approved assignments stay as they are.',
  'coord.round.start': 'Start round', 'coord.round.busy': 'Round running…',
  'coord.round.running': 'Round {id} running… ({seconds} s)', 'coord.round.done': 'Round {id} has finished.',
  'coord.round.stats': '{proposals} proposals; {filled} of the {needed} staff-slots not yet approved proposed ({rate}).',
  'coord.round.failed': 'Round {id} failed: {error}', 'coord.round.review': 'Review proposals',
  'coord.round.unfilled': 'See {n} unfilled staff-slot(s)',
  'coord.round.conflict': 'A round is already running. Wait until it has finished.',
  'coord.export.title': 'Exports', 'coord.export.intro': 'Approved assignments as a spreadsheet, or as a calendar per school.',
  'coord.export.csv': 'Download assignments (CSV)', 'coord.export.school': 'Calendar of a school',
  'coord.export.pickschool': 'Choose a school…', 'coord.export.ics': 'Download calendar (.ics)',
  'coord.export.pickfirst': 'Choose a school first.',
  'proposals.title': 'Review proposals',
  'proposals.intro': 'Per school and day: who is proposed, how far away, and why. Approve or reject one at a time or many at once.',
  'proposals.loading': 'Loading proposals…', 'proposals.bulk': 'Selection',
  'proposals.selected': '{n} of {total} selected', 'proposals.approve.n': 'Approve ({n})',
  'proposals.reject.n': 'Reject ({n})', 'proposals.approve': 'Approve', 'proposals.reject': 'Reject',
  'proposals.approveschool': 'Approve all {n}', 'proposals.count': '{n} proposal(s)',
  'proposals.selectschool': 'Select every proposal for {name}',
  'proposals.selectone': 'Select {name}, {date} {part}', 'proposals.km': '{km} km travel',
  'proposals.progress': '{done} of {n} done…', 'proposals.approved': '{n} proposal(s) approved.',
  'proposals.rejected': '{n} proposal(s) rejected.', 'proposals.failed': '{n} proposal(s) failed:',
  'proposals.empty': 'No proposals are awaiting a decision.',
  'proposals.emptyhint': 'Start a round on the dashboard to get new proposals.',
  'proposals.reject.title': 'Reject {n} proposal(s)', 'proposals.reject.reason': 'Reason (recorded)',
  'proposals.reject.needreason': 'Please give a reason.',
  'why.samedistrict': 'same district', 'why.neighbour': 'neighbouring district', 'why.otherdistrict': 'other district',
  'why.preferred': 'has preferred: {quals}',
  'why.knowsschool': 'already works at this school', 'why.continuity': 'same face: more day parts of this request',
  'unfilled.title': 'Unfilled staff-slots',
  'unfilled.intro': 'Staff-slots the latest round could not fill, with the reason in plain words.',
  'unfilled.round': 'From round {id} ({when}).', 'unfilled.none': 'Every staff-slot is filled. Well done!',
  'unfilled.noround': 'No round has run yet.', 'unfilled.noroundhint': 'Start a round on the dashboard.',
  'unfilled.missing': '{missing} of {needed} open', 'unfilled.request': 'Request {id}',
  'funnel.nobody': 'nobody with a VOG is available that {part}',
  'funnel.available': '{n} available that {part}', 'funnel.with': 'with {quals}',
  'funnel.withrequired': 'with the required qualifications', 'funnel.within': 'within {km} km',
  'funnel.notrejected': 'not rejected for this request', 'funnel.free': 'still free',
  'funnel.allrejected': 'all rejected for this request',
  'funnel.none': 'none {what}', 'funnel.count': '{n} {what}', 'funnel.taken': 'taken by {list}',
  'whatif.label': 'What if',
  'whatif.found': 'Filled if {what}.', 'whatif.foundmore': 'One more filled if {what}.',
  'whatif.travel.request': "the request's travel limit were {to} km instead of {from}",
  'whatif.travel.employee': '{employee} could travel {to} km instead of {from}',
  'whatif.preferred': '{qual} were preferred rather than required',
  'whatif.extra_day_part': '{employee} could work one more day part that week ({to} instead of {from})',
  'whatif.yield': '{request} ({priority}) gave up its {part}', 'whatif.yield.staff': ' ({n} staff)',
  'whatif.priority.normal': 'normal priority', 'whatif.priority.high': 'high priority',
  'whatif.none': 'No single relaxation would fill it.',
  'whatif.skipped': "Not looked into: the round's what-if budget ran out.",
  'part.morning.that': 'morning', 'part.afternoon.that': 'afternoon',
  and: 'and',
  'day.mon': 'Mon', 'day.tue': 'Tue', 'day.wed': 'Wed', 'day.thu': 'Thu', 'day.fri': 'Fri', 'day.sat': 'Sat', 'day.sun': 'Sun',
  'part.morning': 'morning', 'part.afternoon': 'afternoon',
  'qual.vog': 'VOG', 'qual.pm': 'PM diploma', 'qual.bso': 'BSO experience', 'qual.kdv': 'KDV experience',
  'qual.first-aid': 'paediatric first aid', 'qual.special-needs': 'special-needs experience',
};

export const DICTIONARIES = {nl: NL, en: EN};

export function lang() {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' ? 'en' : 'nl';
}

export function setLang(value) {
  localStorage.setItem(LANG_KEY, value === 'en' ? 'en' : 'nl');
}

// The text for `key` with {name} placeholders filled from `vars`.
export function t(key, vars) {
  const text = DICTIONARIES[lang()][key] ?? NL[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars && vars[name] !== undefined ? String(vars[name]) : `{${name}}`));
}

const locale = () => (lang() === 'en' ? 'en-GB' : 'nl-NL');

// 'di 14 apr. 2020' from '2020-04-14'.
export function formatDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), {weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
                                            timeZone: 'UTC'}).format(Date.UTC(y, m - 1, d));
}

// A short day label ('di 14 apr'), or with other Intl options.
export function formatDay(date, options) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), {timeZone: 'UTC', ...(options || {weekday: 'short', day: 'numeric',
                                            month: 'short'})}).format(Date.UTC(y, m - 1, d));
}

export function partName(part) {
  return t(`part.${part}`);
}

export function qualName(qual) {
  return t(`qual.${qual}`);
}

export function percent(value) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(locale(), {style: 'percent', maximumFractionDigits: 1}).format(value);
}

// "a, b en c".
export function listText(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t('and')} ${items[items.length - 1]}`;
}

// The API's error as a sentence a person understands.
export function describeError(error) {
  if (!error || error.status === undefined) return t('error.page');
  if (error.status === 0) return t('error.network');
  if (error.status === 422) return fieldMessage(error.message);
  if ([401, 403, 404, 409, 413, 503].includes(error.status)) return t(`error.${error.status}`);
  return t('error.other', {status: error.status, message: error.message});
}

// The API's messages for invalid fields are English; the common ones are said in
// Dutch too, the rest are shown as the API wrote them.
const NL_MESSAGES = [
  [/^(.*) is before from \(expected a date on or after (\S+)\)$/, (m) => `${m[1]} ligt vóór de begindatum (kies ${m[2]} of later)`],
  [/^"(.*)" is not a valid date \(expected YYYY-MM-DD\)$/, (m) => `"${m[1]}" is geen geldige datum`],
  [/^(-?\d+) is out of range \(expected an integer from (\d+) to (\d+)\)$/, (m) => `${m[1]} kan niet: kies een geheel getal van ${m[2]} tot en met ${m[3]}`],
  [/^\[\] is empty \(expected at least one slot rule\)$/, () => 'Kies minstens één dag'],
  [/^missing \(expected staff_needed or children_expected\)$/, () => 'Vul een aantal medewerkers of kinderen in'],
  [/^missing$/, () => 'Dit veld is verplicht'],
  [/^missing \((.*)\)$/, () => 'Dit veld is verplicht'],
  [/^\[\] is empty/, () => 'Kies minstens één mogelijkheid'],
  [/given together with staff_needed/, () => 'Vul óf een aantal medewerkers óf een aantal kinderen in, niet allebei'],
  [/^"" is empty|is empty \(expected a name/, () => 'Vul een naam in'],
];

export function fieldMessage(message) {
  if (lang() !== 'nl') return message;
  for (const [pattern, render] of NL_MESSAGES) {
    const m = pattern.exec(message || '');
    if (m) return render(m);
  }
  return message;
}

// The what-if of an unfilled staff-slot in plain words, from the values the round
// gives (GET /v1/rounds/{id}): "Gevuld als de reisafstand van de hulpvraag 14 km was in
// plaats van 10."
export function whatifText(unfilled) {
  const w = unfilled.whatif;
  if (!w || w.outcome === 'skipped') return t('whatif.skipped');
  if (w.outcome !== 'found') return t('whatif.none');
  let what;
  if (w.kind === 'travel') {
    what = t(`whatif.travel.${w.limit_of}`, {employee: w.employee, from: w.from_km, to: w.to_km});
  } else if (w.kind === 'preferred') {
    what = t('whatif.preferred', {qual: qualName(w.qualification)});
  } else if (w.kind === 'extra_day_part') {
    what = t('whatif.extra_day_part', {employee: w.employee, from: w.from_parts, to: w.to_parts});
  } else {
    what = t('whatif.yield', {request: w.request, priority: t(`whatif.priority.${w.priority}`),
                              part: t(`part.${unfilled.part}.that`)});
    if (w.staff > 1) what += t('whatif.yield.staff', {n: w.staff});
  }
  return t(unfilled.missing > 1 ? 'whatif.foundmore' : 'whatif.found', {what});
}

// The funnel of an unfilled staff-slot in plain words: "3 beschikbaar die ochtend,
// niemand met BSO-ervaring".  `request` gives the required qualifications and travel
// limit; `takenBy` names the requests that took the last candidates.
export function funnelText(unfilled, request, takenBy) {
  const f = unfilled.funnel;
  const part = t(`part.${unfilled.part}.that`);
  if (f.available === 0) return t('funnel.nobody', {part});
  const parts = [t('funnel.available', {n: f.available, part})];
  const required = (request?.required || []).filter((q) => q !== 'vog');
  const stages = [
    [f.qualified, required.length ? t('funnel.with', {quals: listText(required.map(qualName))}) : t('funnel.withrequired')],
    [f.in_range, t('funnel.within', {km: request?.max_travel_km ?? '?'})],
    [f.not_rejected, t('funnel.notrejected')],
    [f.left, t('funnel.free')],
  ];
  for (const [count, what] of stages) {
    if (count === 0) {
      parts.push(what === t('funnel.notrejected') ? t('funnel.allrejected') : t('funnel.none', {what}));
      if (what === t('funnel.free') && takenBy.length) parts[parts.length - 1] += `: ${t('funnel.taken', {list: takenBy.join(', ')})}`;
      return parts.join(', ');
    }
    parts.push(t('funnel.count', {n: count, what}));
  }
  return parts.join(', ');
}
