// i18n.js: every text a person reads, in Dutch (the default: the users are Dutch)
// and English, with the formatting of dates, day parts, qualifications and the
// sentences built from API data (errors, the funnel and what-if of an unfilled
// staff-slot).  The choice of language is remembered in localStorage; it holds
// nothing else.

const LANG_KEY = 'handen.lang';

// Every text, by key: [Dutch, English].
const TEXTS = {
  'app.title': ['handen — extra handen voor de noodopvang', 'handen — extra hands for emergency care'],
  'nav.label': ['Hoofdmenu', 'Main menu'],
  'nav.school': ['Hulpvragen', 'Requests'],
  'nav.organisation': ['Medewerkers', 'Employees'],
  'nav.dashboard': ['Overzicht', 'Dashboard'],
  'nav.proposals': ['Voorstellen', 'Proposals'],
  'nav.unfilled': ['Open plekken', 'Unfilled'],
  'lang.switch': ['English', 'Nederlands'],
  'signout': ['Afmelden', 'Sign out'],
  'skip': ['Naar de inhoud', 'Skip to content'],
  'role.school': ['School', 'School'],
  'role.organisation': ['Kinderopvang', 'Childcare'],
  'role.coordinator': ['Coördinator', 'Coordinator'],
  'cancel': ['Annuleren', 'Cancel'],
  'close': ['Sluiten', 'Close'],
  'busy.loading': ['Laden…', 'Loading…'],
  'busy.saving': ['Bezig met opslaan…', 'Saving…'],
  'busy.cancelling': ['Bezig met annuleren…', 'Cancelling…'],
  'error.page': ['Deze pagina kon niet worden geladen. Vernieuw de pagina of meld u opnieuw aan.', 'This page could not be loaded. Reload it or sign in again.'],
  'error.401': ['Uw toegangscode is niet (meer) geldig. Meld u opnieuw aan.', 'Your access token is not (or no longer) valid. Please sign in again.'],
  'error.403': ['Dit mag niet met uw toegangscode.', 'Your access token does not allow this.'],
  'error.404': ['Dit bestaat niet (meer), of valt buiten uw gebied.', 'This does not exist (any more), or is outside your area.'],
  'error.409': ['Dat kan nu niet: de situatie is intussen veranderd. Vernieuw de pagina en probeer het opnieuw.', 'That is not possible now: things have changed meanwhile. Reload the page and try again.'],
  'error.413': ['Wat u verstuurt is te groot.', 'What you are sending is too large.'],
  'error.503': ['De gegevens zijn even niet bereikbaar. Probeer het over een minuut opnieuw.', 'The data cannot be reached right now. Try again in a minute.'],
  'error.network': ['De server is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.', 'The server cannot be reached. Check your connection and try again.'],
  'error.other': ['Er ging iets mis (fout {status}). Probeer het opnieuw.', 'Something went wrong (error {status}): {message}'],
  // Every error code the API answers with (api/http.c's table), in words; a code
  // without a row here fails the browser tests.
  'error.code.bad_request': ['De server begreep dit verzoek niet. Vernieuw de pagina en probeer het opnieuw.', 'The server did not understand this request. Reload the page and try again.'],
  'error.code.unknown_parameter': ['De server kent een van de gevraagde filters niet. Vernieuw de pagina.', 'The server does not know one of the filters asked for. Reload the page.'],
  'error.code.unauthorized': ['Uw toegangscode is niet (meer) geldig. Meld u opnieuw aan.', 'Your access token is not (or no longer) valid. Please sign in again.'],
  'error.code.expired': ['Uw toegangscode is verlopen. Vraag de coördinator om een nieuwe.', 'Your access token has expired. Ask the coordinator for a new one.'],
  'error.code.forbidden': ['Dit mag niet met uw toegangscode.', 'Your access token does not allow this.'],
  'error.code.not_found': ['Dit bestaat niet (meer), of valt buiten uw gebied.', 'This does not exist (any more), or is outside your area.'],
  'error.code.method_not_allowed': ['Deze handeling kan hier niet.', 'This action is not possible here.'],
  'error.code.conflict': ['Dat kan nu niet: de situatie is intussen veranderd. Vernieuw de pagina en probeer het opnieuw.', 'That is not possible now: things have changed meanwhile. Reload the page and try again.'],
  'error.code.id_taken': ['Deze code is al in gebruik. Laat hem leeg of kies een andere.', 'This id is already taken. Leave it empty or choose another.'],
  'error.code.slot_in_use': ['Dit dagdeel heeft al goedgekeurde inzet en kan niet worden verwijderd.', 'This day part already has approved assignments and cannot be removed.'],
  'error.code.already_cancelled': ['Dit is al geannuleerd.', 'This has already been cancelled.'],
  'error.code.request_cancelled': ['De hulpvraag is intussen geannuleerd.', 'The request has been cancelled meanwhile.'],
  'error.code.round_running': ['Er loopt al een ronde. Wacht tot die klaar is.', 'A round is already running. Wait until it has finished.'],
  'error.code.already_decided': ['Over dit voorstel is al besloten.', 'This proposal has already been decided.'],
  'error.code.superseded': ['Dit voorstel is vervangen door een nieuwere ronde.', 'This proposal was replaced by a newer round.'],
  'error.code.employee_inactive': ['De medewerker is niet meer actief.', 'The employee is no longer active.'],
  'error.code.employee_unavailable': ['De medewerker is dat dagdeel niet meer beschikbaar of mist een vereiste kwalificatie.', 'The employee is no longer available that day part or lacks a required qualification.'],
  'error.code.double_booked': ['De medewerker is dat dagdeel al ergens anders ingezet.', 'The employee is already assigned elsewhere that day part.'],
  'error.code.slot_full': ['Dit dagdeel van de hulpvraag is al vol.', 'This day part of the request is already full.'],
  'error.code.week_full': ['De medewerker werkt die week al het maximum aantal dagdelen.', 'The employee already works their maximum of day parts that week.'],
  'error.code.slot_not_requested': ['De hulpvraag vraagt dit dagdeel niet meer.', 'The request no longer asks for this day part.'],
  'error.code.pair_rejected': ['Deze medewerker is eerder afgewezen voor deze hulpvraag.', 'This employee was rejected for this request before.'],
  'error.code.too_far': ['De reisafstand is groter dan de medewerker of de school toestaat.', 'The travel distance is more than the employee or the school allows.'],
  'error.code.location_needed': ['De kinderopvanglocatie van de medewerker kan hem of haar dat dagdeel niet missen.', 'The employee\'s childcare location cannot spare them that day part.'],
  'error.code.too_large': ['Wat u verstuurt is te groot.', 'What you are sending is too large.'],
  'error.code.rate_limited': ['Te veel pogingen achter elkaar. Wacht even en probeer het opnieuw.', 'Too many attempts in a row. Wait a moment and try again.'],
  'error.code.unsupported_media_type': ['De server kon dit formaat niet lezen. Vernieuw de pagina.', 'The server could not read this format. Reload the page.'],
  'error.code.invalid_field': ['Een of meer velden kloppen niet.', 'One or more fields are not valid.'],
  'error.code.internal': ['Er ging aan de kant van de server iets mis. Probeer het later opnieuw.', 'Something went wrong on the server. Try again later.'],
  'error.code.unavailable': ['De gegevens zijn even niet bereikbaar. Probeer het over een minuut opnieuw.', 'The data cannot be reached right now. Try again in a minute.'],
  'error.field': ['Deze invoer klopt niet.', 'This input is not valid.'],
  'signin.title': ['Aanmelden', 'Sign in'],
  'signin.intro': ['Meld u aan met de toegangscode die u van de coördinator kreeg.', 'Sign in with the access token the coordinator gave you.'],
  'signin.token': ['Toegangscode', 'Access token'],
  'signin.hint': ['Begint met "hnd_". De code blijft alleen in dit tabblad bewaard.', 'Starts with "hnd_". It is kept in this browser tab only.'],
  'signin.submit': ['Aanmelden', 'Sign in'],
  'signin.busy': ['Controleren…', 'Checking…'],
  'signin.empty': ['Vul uw toegangscode in.', 'Enter your access token.'],
  'signin.bad': ['Deze toegangscode kennen we niet, of hij is ingetrokken. Controleer hem of vraag een nieuwe aan.', 'This access token is unknown or revoked. Check it or ask for a new one.'],
  'signin.about.title': ['Wat is handen?', 'What is handen?'],
  'signin.about.text': ['Scholen vragen extra handen voor de noodopvang, kinderopvangorganisaties bieden medewerkers aan, en de coördinator koppelt ze per wijk.', 'Schools ask for extra hands for emergency care, childcare organisations offer employees, and the coordinator links them per district.'],
  'school.title': ['Hulpvragen van uw school', 'Your school\'s requests'],
  'school.title.named': ['Hulpvragen van {name}', 'Requests of {name}'],
  'school.intro': ['Vraag extra handen voor de noodopvang en zie per dagdeel wie er komt.', 'Ask for extra hands for emergency care and see who comes, per day part.'],
  'school.calendar': ['Agenda downloaden (.ics)', 'Download calendar (.ics)'],
  'school.form.title': ['Nieuwe hulpvraag', 'New request'],
  'school.form.when': ['Wanneer?', 'When?'],
  'school.form.mode.dates': ['Losse dagen', 'Single days'],
  'school.form.mode.weekly': ['Elke week (patroon)', 'Every week (pattern)'],
  'school.form.dates': ['Datum', 'Date'],
  'school.form.adddate': ['Datum toevoegen', 'Add date'],
  'school.form.nodates': ['Nog geen dagen gekozen.', 'No days chosen yet.'],
  'school.form.removedate': ['{date} verwijderen', 'Remove {date}'],
  'school.form.from': ['Van', 'From'],
  'school.form.to': ['Tot en met', 'To (inclusive)'],
  'school.form.weekdays': ['Op welke dagen', 'On which days'],
  'school.form.parts': ['Dagdelen', 'Day parts'],
  'school.form.amountkind': ['Wat weet u?', 'What do you know?'],
  'school.form.staff': ['Aantal medewerkers', 'Number of staff'],
  'school.form.children': ['Verwacht aantal kinderen', 'Expected number of children'],
  'school.form.amounthint': ['Bij een aantal kinderen rekent handen zelf uit hoeveel medewerkers nodig zijn.', 'Given a number of children, handen works out how many staff are needed.'],
  'school.form.amount': ['Aantal', 'Number'],
  'school.form.ownstaff': ['Eigen personeel', 'Own staff'],
  'school.form.ownstaffhint': ['Alleen bij een aantal kinderen: zoveel medewerkers heeft u zelf.', 'Only with a number of children: the staff you have yourself.'],
  'school.form.required': ['Vereist', 'Required'],
  'school.form.voghint': ['Een VOG is altijd vereist.', 'A certificate of conduct (VOG) is always required.'],
  'school.form.preferred': ['Gewenst', 'Preferred'],
  'school.form.priority': ['Urgentie', 'Urgency'],
  'school.form.travel': ['Maximale reisafstand (km)', 'Maximum travel distance (km)'],
  'school.form.travelhint': ['Leeg laten voor de standaard.', 'Leave empty for the default.'],
  'school.form.note': ['Opmerking (voor de coördinator)', 'Note (for the coordinator)'],
  'school.form.submit': ['Hulpvraag plaatsen', 'Post request'],
  'school.form.created': ['Hulpvraag {id} is geplaatst.', 'Request {id} has been posted.'],
  'school.form.createdwarn.one': ['Hulpvraag {id} is geplaatst, met {n} waarschuwing: zie de hulpvraag.', 'Request {id} has been posted, with {n} warning: see the request.'],
  'school.form.createdwarn.other': ['Hulpvraag {id} is geplaatst, met {n} waarschuwingen: zie de hulpvraag.', 'Request {id} has been posted, with {n} warnings: see the request.'],
  'warning.label': ['Let op', 'Note'],
  'warning.weekend': ['in het weekend: {slots}. Opgeslagen, maar scholen zijn dan dicht.', 'at the weekend: {slots}. Stored, but schools are closed then.'],
  'warning.no_vog': ['Opgeslagen, maar wordt nooit voorgesteld tot er een geldige VOG is vastgelegd.', 'Stored, but never proposed until a valid VOG is recorded.'],
  'school.form.problems.one': ['Controleer het formulier: {n} punt om aan te passen.', 'Please check the form: {n} thing to fix.'],
  'school.form.problems.other': ['Controleer het formulier: {n} punten om aan te passen.', 'Please check the form: {n} things to fix.'],
  'school.list.title': ['Uw hulpvragen', 'Your requests'],
  'school.list.empty': ['U heeft nog geen hulpvragen.', 'You have no requests yet.'],
  'school.list.emptyhint': ['Plaats er een met het formulier; u ziet hier dan per dagdeel wie er komt.', 'Post one with the form; you will see here who comes, per day part.'],
  'school.request': ['Hulpvraag {id}', 'Request {id}'],
  'school.staffneeded.one': ['{n} medewerker per dagdeel', '{n} staff member per day part'],
  'school.staffneeded.other': ['{n} medewerkers per dagdeel', '{n} staff per day part'],
  'school.childrenexpected': ['{n} kinderen verwacht', '{n} children expected'],
  'school.progress': ['{approved} van {needed} plekken ingevuld', '{approved} of {needed} places filled'],
  'school.requires': ['vereist', 'requires'],
  'school.open': ['{n} open', '{n} open'],
  'school.full': ['rond', 'filled'],
  'school.staffing.caption': ['Bezetting per dagdeel van hulpvraag {id}', 'Staffing per day part of request {id}'],
  'school.cancel': ['Hulpvraag annuleren', 'Cancel request'],
  'school.cancel.confirm': ['Hulpvraag {id} annuleren? Ingeplande medewerkers komen dan niet.', 'Cancel request {id}? Planned staff will then not come.'],
  'school.cancelled': ['Hulpvraag {id} is geannuleerd.', 'Request {id} has been cancelled.'],
  'status.open': ['open', 'open'],
  'status.cancelled': ['geannuleerd', 'cancelled'],
  'priority.normal': ['Normaal', 'Normal'],
  'priority.high': ['urgent', 'urgent'],
  'priority.high.long': ['Urgent: groep met kwetsbare kinderen', 'Urgent: group with vulnerable children'],
  'col.date': ['Datum', 'Date'],
  'col.part': ['Dagdeel', 'Day part'],
  'col.filled': ['Ingevuld', 'Filled'],
  'col.open': ['Open', 'Open'],
  'col.who': ['Wie komt er', 'Who comes'],
  'col.when': ['Wanneer', 'When'],
  'col.school': ['School', 'School'],
  'col.employee': ['Medewerker', 'Employee'],
  'col.reason': ['Reis en reden', 'Travel and reason'],
  'col.slot': ['Dagdeel: bezetting', 'Day part: staffing'],
  'col.decision': ['Besluit', 'Decision'],
  'col.status': ['Status', 'Status'],
  'col.organisation': ['Organisatie', 'Organisation'],
  'col.phone': ['Telefoon', 'Phone'],
  'slot.status.open': ['open', 'open'],
  'slot.status.proposed': ['in behandeling', 'being handled'],
  'slot.status.approved': ['goedgekeurd', 'approved'],
  'slot.status.cancelled': ['geannuleerd', 'cancelled'],
  'school.slotfigures': ['{approved} van {needed} goedgekeurd', '{approved} of {needed} approved'],
  'school.daylist.title': ['Wie komt er: daglijst', 'Who comes: day list'],
  'school.daylist.print': ['Daglijst afdrukken', 'Print day list'],
  'school.daylist.empty': ['Er is nog niemand ingepland.', 'Nobody has been planned yet.'],
  'school.daylist.emptyhint': ['Zodra de coördinator een voorstel goedkeurt, staat hier wie er komt, met organisatie en telefoonnummer.', 'As soon as the coordinator approves a proposal, you will see here who comes, with organisation and phone number.'],
  'school.daylist.caption': ['Wie komt er op {date}', 'Who comes on {date}'],
  'school.form.open': ['Nieuwe hulpvraag', 'New request'],
  'school.form.fold': ['Nieuwe hulpvraag plaatsen', 'Post a new request'],
  'school.edit': ['Wijzigen', 'Change'],
  'school.edit.title': ['Hulpvraag {id} wijzigen', 'Change request {id}'],
  'school.edit.submit': ['Wijzigingen opslaan', 'Save changes'],
  'school.edit.close': ['Sluiten zonder opslaan', 'Close without saving'],
  'school.edit.saved': ['Hulpvraag {id} is gewijzigd.', 'Request {id} has been changed.'],
  'school.edit.slotshint': ['De dagdelen van deze hulpvraag passen niet precies in dit formulier. Ze blijven zoals ze zijn, tenzij u hier de dagen of dagdelen aanpast.', 'The day parts of this request do not fit this form exactly. They stay as they are unless you change the days or day parts here.'],
  'school.cancelpart': ['Dagdeel annuleren', 'Cancel day part'],
  'school.cancelpart.col': ['Dagdeel annuleren', 'Cancel day part'],
  'school.cancelpart.label': ['Dagdeel annuleren: {date} {part} van hulpvraag {id}', 'Cancel day part: {date} {part} of request {id}'],
  'school.cancelpart.confirm': ['{date} {part} van hulpvraag {id} annuleren? Wie dan is ingepland, komt niet; de andere dagdelen blijven staan.', 'Cancel {date} {part} of request {id}? Whoever is planned then will not come; the other day parts stay.'],
  'school.cancelpart.done': ['{date} {part} van hulpvraag {id} is geannuleerd.', '{date} {part} of request {id} has been cancelled.'],
  'school.daylist.filter': ['Welke dagen', 'Which days'],
  'school.daylist.from': ['Daglijst vanaf', 'Day list from'],
  'school.daylist.to': ['Daglijst tot en met', 'Day list to (inclusive)'],
  'school.daylist.all': ['Alle dagen', 'All days'],
  'school.daylist.on': ['Op {date}', 'On {date}'],
  'school.daylist.between': ['Van {from} tot en met {to}', 'From {from} to {to}'],
  'school.daylist.since': ['Vanaf {date}', 'From {date}'],
  'school.daylist.until': ['Tot en met {date}', 'Up to {date}'],
  'school.daylist.always': ['Alle dagen', 'All days'],
  'school.daylist.none': ['In deze periode is niemand ingepland.', 'Nobody is planned in this period.'],
  'school.daylist.nonehint': ['Kies andere data, of alle dagen.', 'Choose other dates, or all days.'],
  'col.name': ['Naam', 'Name'],
  'col.quals': ['Kwalificaties', 'Qualifications'],
  'col.partsweek': ['Dagdelen/week', 'Day parts/week'],
  'col.travel': ['Reisafstand', 'Travel'],
  'col.assigned': ['Ingezet', 'Assigned'],
  'org.title': ['Uw medewerkers', 'Your employees'],
  'org.intro': ['Bied medewerkers aan, geef aan wanneer ze kunnen en zie waar ze worden ingezet.', 'Offer employees, say when they can help, and see where they are assigned.'],
  'org.employees': ['Medewerkers', 'Employees'],
  'org.add': ['Medewerker toevoegen', 'Add employee'],
  'org.employees.empty': ['Er staan nog geen medewerkers op de lijst.', 'There are no employees on the list yet.'],
  'org.employees.emptyhint': ['Voeg een medewerker toe en geef daarna de beschikbaarheid aan.', 'Add an employee, then set their availability.'],
  'org.edit': ['Bewerken', 'Edit'],
  'org.availability': ['Beschikbaarheid', 'Availability'],
  'org.inactive': ['niet actief', 'inactive'],
  'org.novog': ['geen VOG', 'no VOG'],
  'org.form.new': ['Nieuwe medewerker', 'New employee'],
  'org.form.edit': ['{name} bewerken', 'Edit {name}'],
  'org.form.name': ['Naam', 'Name'],
  'org.form.district': ['Wijk', 'District'],
  'org.form.parts': ['Max. dagdelen per week', 'Max. day parts per week'],
  'org.form.partshint': ['1 tot 14', '1 to 14'],
  'org.form.travel': ['Max. reisafstand (km)', 'Max. travel distance (km)'],
  'org.form.quals': ['Kwalificaties', 'Qualifications'],
  'org.form.email': ['E-mail (optioneel)', 'E-mail (optional)'],
  'org.form.phone': ['Telefoon (optioneel)', 'Phone (optional)'],
  'org.form.contacthint': ['Alleen uw organisatie ziet dit; een school ziet het telefoonnummer pas na goedkeuring.', 'Only your organisation sees this; a school sees the phone number only after approval.'],
  'invite.title': ['Uitnodigen', 'Invite'],
  'invite.intro': ['Stuur een school of organisatie een e-mail met een eenmalige aanmeldlink.', 'Send a school or organisation an e-mail with a one-time sign-in link.'],
  'invite.target': ['School of organisatie', 'School or organisation'],
  'invite.pick': ['Kies…', 'Choose…'],
  'invite.email': ['E-mail (leeg: het contactadres)', 'E-mail (empty: the contact address)'],
  'invite.send': ['Uitnodiging sturen', 'Send invitation'],
  'invite.pickfirst': ['Kies eerst een school of organisatie.', 'Choose a school or organisation first.'],
  'invite.sent': ['Uitnodiging verstuurd naar {email}.', 'Invitation sent to {email}.'],
  'invite.none': ['Nog niemand uitgenodigd.', 'Nobody invited yet.'],
  'invite.accepted': ['aangemeld op {at}', 'signed in on {at}'],
  'invite.waiting': ['nog niet aangemeld (link geldig tot {until})', 'not signed in yet (link valid until {until})'],
  'signin.code.busy': ['Aanmelden met de link…', 'Signing in with the link…'],
  'signin.code.bad': ['Deze aanmeldlink werkt niet (meer): {message}', 'This sign-in link does not work (any more): {message}'],
  'org.form.qualshint': ['Zonder VOG wordt iemand nooit voorgesteld.', 'Without a VOG nobody is ever proposed.'],
  'org.form.active': ['Actief (kan worden voorgesteld)', 'Active (can be proposed)'],
  'org.form.add': ['Toevoegen', 'Add'],
  'org.form.save': ['Opslaan', 'Save'],
  'org.form.saved': ['{name} is opgeslagen.', '{name} has been saved.'],
  'org.form.savednovog': ['{name} is opgeslagen, maar zonder VOG: wordt nooit voorgesteld.', '{name} has been saved, but without a VOG: never proposed.'],
  'org.availability.title': ['Beschikbaarheid van {name}', 'Availability of {name}'],
  'org.availability.hint': ['Klik op een dagdeel om het aan of uit te zetten, en sla daarna op.', 'Click a day part to switch it on or off, then save.'],
  'org.week': ['Week {week}: {from} – {to}', 'Week {week}: {from} – {to}'],
  'org.prevweek': ['← Vorige week', '← Previous week'],
  'org.nextweek': ['Volgende week →', 'Next week →'],
  'org.available': ['beschikbaar', 'available'],
  'org.saveavailability': ['Beschikbaarheid opslaan', 'Save availability'],
  'org.availabilitysaved': ['Beschikbaarheid van {name} is opgeslagen.', 'The availability of {name} has been saved.'],
  'import.open': ['Importeren uit spreadsheet', 'Import from spreadsheet'],
  'import.title': ['Importeren uit spreadsheet', 'Import from spreadsheet'],
  'import.intro': ['Zet uw medewerkers in een spreadsheet (Excel: opslaan als "CSV UTF-8" of "CSV (puntkomma)"), één rij per medewerker. U ziet eerst wat er gelezen is; pas na "Alles opslaan" wordt er iets bewaard, en alleen als elke rij in orde is.', 'Put your employees in a spreadsheet (Excel: save as "CSV UTF-8"), one row per employee. You first see what was read; nothing is stored until "Save all", and only when every row is in order.'],
  'import.template': ['Sjabloon downloaden (.csv)', 'Download the template (.csv)'],
  'import.file': ['Kies een bestand (.csv)', 'Choose a file (.csv)'],
  'import.reading': ['Bestand controleren…', 'Checking the file…'],
  'import.ok': ['{n} medewerker(s) gelezen, alles in orde: {created} nieuw, {updated} bijgewerkt.', '{n} employee(s) read, all in order: {created} new, {updated} updated.'],
  'import.problems': ['{n} medewerker(s) gelezen, {p} probleem/problemen. Pas het bestand aan en kies het opnieuw; er is niets opgeslagen.', '{n} employee(s) read, {p} problem(s). Fix the file and choose it again; nothing has been stored.'],
  'import.fileproblems': ['Problemen in het bestand', 'Problems in the file'],
  'import.row': ['Rij {row}', 'Row {row}'],
  'import.col.row': ['Rij', 'Row'],
  'import.col.problems': ['Problemen', 'Problems'],
  'import.rowok': ['in orde', 'in order'],
  'import.save': ['Alles opslaan', 'Save all'],
  'import.saved': ['Opgeslagen: {created} nieuw, {updated} bijgewerkt.', 'Saved: {created} new, {updated} updated.'],
  'org.assignments': ['Waar uw medewerkers zijn ingezet', 'Where your employees are assigned'],
  'org.calendar': ['Agenda (.ics)', 'Calendar (.ics)'],
  'org.assignments.empty': ['Nog geen goedgekeurde inzet.', 'No approved assignments yet.'],
  'org.assignments.emptyhint': ['Zodra de coördinator een voorstel goedkeurt, ziet u hier wie waar werkt.', 'As soon as the coordinator approves a proposal, you will see here who works where.'],
  'grid.title': ['Weekplanning', 'Week planning'],
  'grid.hint': ['Klik op een dagdeel (of gebruik de pijltjestoetsen en spatie) om beschikbaarheid aan of uit te zetten, en sla daarna de wijzigingen op.', 'Click a day part (or use the arrow keys and space) to switch availability on or off, then save the changes.'],
  'grid.caption': ['Beschikbaarheid en inzet van alle medewerkers per dagdeel', 'Availability and assignments of every employee per day part'],
  'grid.state.available': ['beschikbaar', 'available'],
  'grid.state.assigned': ['ingezet', 'assigned'],
  'grid.state.proposed': ['voorgesteld', 'proposed'],
  'grid.state.unavailable': ['niet beschikbaar', 'not available'],
  'grid.legend': ['Legenda', 'Legend'],
  'grid.legend.available': ['beschikbaar', 'available'],
  'grid.legend.assigned': ['ingezet (goedgekeurd, met de school)', 'assigned (approved, with the school)'],
  'grid.legend.proposed': ['voorgesteld: wacht op de coördinator', 'proposed: waiting for the coordinator'],
  'grid.legend.unavailable': ['niet beschikbaar', 'not available'],
  'grid.legend.novog': ['wordt nooit voorgesteld', 'is never proposed'],
  'grid.legend.stalebadge': ['niet bevestigd', 'not confirmed'],
  'grid.legend.stale.one': ['beschikbaarheid langer dan {n} dag niet bevestigd', 'availability not confirmed for more than {n} day'],
  'grid.legend.stale.other': ['beschikbaarheid langer dan {n} dagen niet bevestigd', 'availability not confirmed for more than {n} days'],
  'grid.stale': ['niet bevestigd sinds {date}', 'not confirmed since {date}'],
  'grid.neverconfirmed': ['nooit bevestigd', 'never confirmed'],
  'grid.past': ['{when} is voorbij en kan niet meer veranderen.', '{when} is past and can no longer change.'],
  'grid.assignedlocked': ['{name} is op {when} ingezet bij {school}. Annuleer eerst die inzet; pas daarna kan dit dagdeel uit.', '{name} is assigned to {school} on {when}. Cancel that assignment first; only then can this day part be switched off.'],
  'grid.proposedoff': ['Let op: voor {name} wacht op {when} een voorstel bij {school}. Zonder beschikbaarheid kan de coördinator het niet goedkeuren.', 'Note: a proposal at {school} waits for {name} on {when}. Without availability the coordinator cannot approve it.'],
  'grid.save': ['Wijzigingen opslaan', 'Save changes'],
  'grid.nopending': ['Geen wijzigingen.', 'No changes.'],
  'grid.pending.one': ['{n} medewerker gewijzigd, nog niet opgeslagen.', '{n} employee changed, not saved yet.'],
  'grid.pending.other': ['{n} medewerkers gewijzigd, nog niet opgeslagen.', '{n} employees changed, not saved yet.'],
  'grid.saved.one': ['Beschikbaarheid van {n} medewerker opgeslagen.', 'Availability of {n} employee saved.'],
  'grid.saved.other': ['Beschikbaarheid van {n} medewerkers opgeslagen.', 'Availability of {n} employees saved.'],
  'grid.savefailed.one': ['{n} medewerker is niet opgeslagen:', '{n} employee was not saved:'],
  'grid.savefailed.other': ['{n} medewerkers zijn niet opgeslagen:', '{n} employees were not saved:'],
  'grid.repeat.title': ['Elke week herhalen', 'Repeat every week'],
  'grid.repeat.hint': ['Kopieert het patroon van de getoonde week naar elke volgende week, tot en met de gekozen datum. Daarna opslaan.', 'Copies the pattern of the week shown to every following week, up to and including the chosen date. Then save.'],
  'grid.repeat.who': ['Medewerker', 'Employee'],
  'grid.repeat.until': ['Tot en met', 'Up to and including'],
  'grid.repeat.do': ['Patroon herhalen', 'Repeat pattern'],
  'grid.repeat.nodate': ['Kies tot en met welke datum het patroon herhaald wordt.', 'Choose up to which date the pattern is repeated.'],
  'grid.repeat.tooearly': ['Kies een datum vanaf {date}: het patroon gaat naar de weken na de getoonde week.', 'Choose a date from {date} on: the pattern goes to the weeks after the week shown.'],
  'grid.repeat.toolate': ['Kies een datum binnen een jaar na de getoonde week.', 'Choose a date within a year after the week shown.'],
  'grid.repeat.done': ['Het patroon van {name} uit week {week} staat nu in elke week tot en met {date}. Sla de wijzigingen op om ze te bewaren.', 'The pattern of {name} from week {week} is now in every week up to and including {date}. Save the changes to keep them.'],
  'grid.repeat.kept.one': ['{n} ingezet dagdeel blijft beschikbaar.', '{n} assigned day part stays available.'],
  'grid.repeat.kept.other': ['{n} ingezette dagdelen blijven beschikbaar.', '{n} assigned day parts stay available.'],
  'coord.title': ['Overzicht alle wijken', 'Dashboard, all districts'],
  'coord.title.district': ['Overzicht {name}', 'Dashboard {name}'],
  'coord.district': ['Wijk', 'District'],
  'coord.alldistricts': ['Alle wijken', 'All districts'],
  'coord.stat.requests': ['Open hulpvragen', 'Open requests'],
  'coord.stat.needed': ['Plekken nodig', 'Staff-slots needed'],
  'coord.stat.neededdetail': ['medewerker × dagdeel, gevraagd door open hulpvragen', 'staff × day part, asked by open requests'],
  'coord.stat.proposed': ['Voorgesteld', 'Proposed'],
  'coord.stat.proposeddetail': ['wachten op een besluit', 'awaiting a decision'],
  'coord.stat.approved': ['Goedgekeurd', 'Approved'],
  'coord.stat.approveddetail': ['toegezegde inzet', 'committed assignments'],
  'coord.stat.open': ['Nog open', 'Still open'],
  'coord.stat.opendetail': ['nodig − goedgekeurd − voorgesteld', 'needed − approved − proposed'],
  'coord.stat.children': ['Kinderen in noodopvang', 'Children in emergency care'],
  'coord.stat.childrendetail': ['verwacht op de drukste dag ({date})', 'expected on the busiest day ({date})'],
  'coord.stat.nochildren': ['geen aantallen opgegeven', 'no numbers given'],
  'coord.stat.rate': ['Vullingsgraad', 'Fill rate'],
  'coord.stat.ratedetail': ['goedgekeurd / nodig; met de voorstellen {rate}', 'approved / needed; with the proposals {rate}'],
  'coord.nodays': ['Geen open hulpvragen in deze wijk.', 'No open requests in this district.'],
  'chart.heading': ['Nodig, voorgesteld en goedgekeurd per dag', 'Needed, proposed and approved per day'],
  'chart.title': ['Plekken nodig, voorgesteld en goedgekeurd per dag', 'Staff-slots needed, proposed and approved per day'],
  'chart.needed': ['nodig', 'needed'],
  'chart.proposed': ['voorgesteld', 'proposed'],
  'chart.filled': ['goedgekeurd', 'approved'],
  'map.heading': ['Kaart van de wijken', 'Map of the districts'],
  'map.title': ['Wijken gekleurd naar vulling; klik op een wijk voor haar voorstellen', 'Districts coloured by fill; click a district for its proposals'],
  'map.hint': ['Elke wijk is getekend met haar grens, of zonder bekende grens als de omtrek van haar scholen (punten). Klik op een wijk voor haar voorstellen.', 'Each district is drawn with its boundary, or without a known boundary as the outline of its schools (points). Click a district for its proposals.'],
  'map.caption': ['Plekken per wijk', 'Staff-slots per district'],
  'map.fill': ['Vulling', 'Fill'],
  'map.col.needed': ['Nodig', 'Needed'],
  'map.col.proposed': ['Voorg.', 'Prop.'],
  'map.col.approved': ['Goedg.', 'Appr.'],
  'map.col.open': ['Open', 'Open'],
  'map.districtlabel': ['{name}: {needed} nodig, {proposed} voorgesteld, {approved} goedgekeurd', '{name}: {needed} needed, {proposed} proposed, {approved} approved'],
  'map.band.none': ['niets nodig', 'nothing needed'],
  'map.band.0': ['< 25%', '< 25%'],
  'map.band.1': ['25–50%', '25–50%'],
  'map.band.2': ['50–75%', '50–75%'],
  'map.band.3': ['75–100%', '75–100%'],
  'map.band.4': ['vol', 'full'],
  'chart.astable': ['Toon als tabel', 'Show as a table'],
  'coord.round.title': ['Matchingsronde', 'Matching round'],
  'coord.round.intro': ['Een ronde stelt de best passende medewerkers voor. Goedgekeurde inzet blijft staan.', 'A round proposes the best fitting employees. Approved assignments stay as they are.'],
  'coord.round.start': ['Ronde starten', 'Start round'],
  'coord.round.busy': ['Ronde loopt…', 'Round running…'],
  'coord.round.running': ['Ronde {id} loopt… ({seconds} s)', 'Round {id} running… ({seconds} s)'],
  'coord.round.done': ['Ronde {id} is klaar.', 'Round {id} has finished.'],
  'coord.round.stats': ['{proposals} voorstellen; {filled} van de {needed} plekken zonder goedkeuring voorgesteld ({rate}).', '{proposals} proposals; {filled} of the {needed} staff-slots not yet approved proposed ({rate}).'],
  'coord.round.failed': ['Ronde {id} is mislukt: {error}', 'Round {id} failed: {error}'],
  'coord.round.review': ['Voorstellen beoordelen', 'Review proposals'],
  'coord.round.unfilled.one': ['{n} open plek bekijken', 'See {n} unfilled staff-slot'],
  'coord.round.unfilled.other': ['{n} open plekken bekijken', 'See {n} unfilled staff-slots'],
  'coord.round.conflict': ['Er loopt al een ronde. Wacht tot die klaar is.', 'A round is already running. Wait until it has finished.'],
  'coord.export.title': ['Exporteren', 'Exports'],
  'coord.export.intro': ['Goedgekeurde inzet als spreadsheet of als agenda per school.', 'Approved assignments as a spreadsheet, or as a calendar per school.'],
  'coord.export.csv': ['Inzet downloaden (CSV)', 'Download assignments (CSV)'],
  'coord.export.school': ['Agenda van een school', 'Calendar of a school'],
  'coord.export.pickschool': ['Kies een school…', 'Choose a school…'],
  'coord.export.ics': ['Agenda downloaden (.ics)', 'Download calendar (.ics)'],
  'coord.export.pickfirst': ['Kies eerst een school.', 'Choose a school first.'],
  'proposals.title': ['Voorstellen beoordelen', 'Review proposals'],
  'proposals.intro': ['Wie is voorgesteld, hoe ver weg en waarom, met de bezetting van elk dagdeel. Keur goed of wijs af, per regel of de selectie in één keer.', 'Who is proposed, how far away and why, with the staffing of each day part. Approve or reject per row, or the selection at once.'],
  'proposals.loading': ['Voorstellen laden…', 'Loading proposals…'],
  'proposals.bulk': ['Selectie', 'Selection'],
  'proposals.selected': ['{count} geselecteerd', '{count} selected'],
  'proposals.selectall': ['Alle {count} open voorstellen selecteren', 'Select all {count} open proposals'],
  'proposals.selectnone': ['Selectie wissen', 'Clear selection'],
  'proposals.selectpage': ['Alle voorstellen op deze pagina selecteren', 'Select every proposal on this page'],
  'proposals.filters': ['Filters', 'Filters'],
  'proposals.caption': ['Voorstellen met de bezetting van hun dagdeel', 'Proposals with the staffing of their day part'],
  'proposals.urgentcount.one': ['{n} urgent', '{n} urgent'],
  'proposals.urgentcount.other': ['{n} urgent', '{n} urgent'],
  'proposals.slot': ['{needed} nodig · {proposed} voorgesteld · {approved} goedgekeurd', '{needed} needed · {proposed} proposed · {approved} approved'],
  'proposal.status.proposed': ['voorgesteld', 'proposed'],
  'proposal.status.approved': ['goedgekeurd', 'approved'],
  'proposal.status.rejected': ['afgewezen', 'rejected'],
  'proposal.status.cancelled': ['geannuleerd', 'cancelled'],
  'proposal.status.superseded': ['vervangen', 'superseded'],
  'proposal.status.any': ['alle', 'all'],
  'filter.date': ['Datum', 'Date'],
  'filter.alldates': ['Alle datums', 'All dates'],
  'filter.allparts': ['Beide dagdelen', 'Both day parts'],
  'filter.allschools': ['Alle scholen', 'All schools'],
  'filter.allpriorities': ['Alle', 'All'],
  'filter.status': ['Status', 'Status'],
  'pager.label': ['Pagina\'s', 'Pages'],
  'pager.previous': ['← Vorige', '← Previous'],
  'pager.next': ['Volgende →', 'Next →'],
  'pager.where': ['Pagina {page} van {pages}', 'Page {page} of {pages}'],
  'proposals.approve.n': ['Selectie goedkeuren ({count})', 'Approve selection ({count})'],
  'proposals.reject.n': ['Selectie afwijzen ({count})', 'Reject selection ({count})'],
  'proposals.approve': ['Goedkeuren', 'Approve'],
  'proposals.reject': ['Afwijzen', 'Reject'],
  'proposals.count.one': ['{n} voorstel', '{n} proposal'],
  'proposals.count.other': ['{n} voorstellen', '{n} proposals'],
  'proposals.selectone': ['{name}, {date} {part} selecteren', 'Select {name}, {date} {part}'],
  'proposals.km': ['{km} km reizen', '{km} km travel'],
  'proposals.progress': ['{done} van {count} verwerkt…', '{done} of {count} done…'],
  'proposals.approved.one': ['{n} voorstel goedgekeurd.', '{n} proposal approved.'],
  'proposals.approved.other': ['{n} voorstellen goedgekeurd.', '{n} proposals approved.'],
  'proposals.rejected.one': ['{n} voorstel afgewezen.', '{n} proposal rejected.'],
  'proposals.rejected.other': ['{n} voorstellen afgewezen.', '{n} proposals rejected.'],
  'proposals.failed.one': ['{n} voorstel lukte niet:', '{n} proposal failed:'],
  'proposals.failed.other': ['{n} voorstellen lukten niet:', '{n} proposals failed:'],
  'proposals.empty': ['Er wachten geen voorstellen op een besluit.', 'No proposals are awaiting a decision.'],
  'proposals.emptyhint': ['Start een ronde op het overzicht om nieuwe voorstellen te krijgen.', 'Start a round on the dashboard to get new proposals.'],
  'proposals.reject.title.one': ['{n} voorstel afwijzen', 'Reject {n} proposal'],
  'proposals.reject.title.other': ['{n} voorstellen afwijzen', 'Reject {n} proposals'],
  'proposals.reject.reason': ['Reden (wordt vastgelegd)', 'Reason (recorded)'],
  'proposals.reject.needreason': ['Geef een reden op.', 'Please give a reason.'],
  'alternatives.open': ['Alternatieven', 'Alternatives'],
  'alternatives.loading': ['Alternatieven zoeken…', 'Looking for alternatives…'],
  'alternatives.title': ['In plaats van {name} op {date} {part}', 'Instead of {name} on {date} {part}'],
  'alternatives.none': ['Niemand anders kan dit dagdeel nu overnemen.', 'Nobody else can take this day part now.'],
  'alternatives.swap': ['Wisselen', 'Swap'],
  'alternatives.swapto': ['Wisselen naar {name}', 'Swap to {name}'],
  'alternatives.swapped': ['{from} vervangen door {to}; het nieuwe voorstel wacht op goedkeuring.', '{from} replaced by {to}; the new proposal awaits approval.'],
  'alternatives.failed': ['Wisselen naar {name} lukte niet: {reason}', 'Swapping to {name} failed: {reason}'],
  'why.samedistrict': ['zelfde wijk', 'same district'],
  'why.neighbour': ['buurwijk', 'neighbouring district'],
  'why.otherdistrict': ['andere wijk', 'other district'],
  'why.preferred': ['heeft gewenst: {quals}', 'has preferred: {quals}'],
  'why.knowsschool': ['werkt al op deze school', 'already works at this school'],
  'why.continuity': ['zelfde gezicht: meer dagdelen bij deze hulpvraag', 'same face: more day parts of this request'],
  'nav.history': ['Geschiedenis', 'History'],
  'history.title': ['Rondes en besluiten', 'Rounds and decisions'],
  'history.intro': ['Elke matchingsronde met wat ze deed, en het logboek van besluiten en wijzigingen.', 'Every matching round with what it did, and the log of decisions and changes.'],
  'history.rounds': ['Rondes', 'Rounds'],
  'history.audit': ['Logboek', 'Audit trail'],
  'history.noaudit': ['Nog niets vastgelegd.', 'Nothing recorded yet.'],
  'history.entries.one': ['{n} regel, nieuwste eerst', '{n} entry, newest first'],
  'history.entries.other': ['{n} regels, nieuwste eerst', '{n} entries, newest first'],
  'history.nomatch': ['Geen regels met deze filters.', 'No entries match these filters.'],
  'history.filter.label': ['Logboek filteren', 'Filter the audit trail'],
  'history.filter.actorhint': ['bijv. 12XA00 of coördinator', 'e.g. 12XA00 or coordinator'],
  'history.filter.allactions': ['Alles', 'Everything'],
  'history.filter.allof': ['{kind}: alles', '{kind}: all'],
  'history.kind.proposal': ['Voorstellen', 'Proposals'],
  'history.kind.assignment': ['Inzet', 'Assignments'],
  'history.kind.request': ['Hulpvragen', 'Requests'],
  'history.kind.round': ['Rondes', 'Rounds'],
  'history.kind.employee': ['Medewerkers', 'Employees'],
  'history.kind.location': ['Locaties', 'Locations'],
  'history.kind.invitation': ['Uitnodigingen', 'Invitations'],
  'history.kind.subscription': ['Agenda-abonnementen', 'Calendar feeds'],
  'history.kind.token': ['Toegangscodes', 'Tokens'],
  'history.col.round': ['Ronde', 'Round'],
  'history.col.status': ['Status', 'Status'],
  'history.col.started': ['Gestart', 'Started'],
  'history.col.by': ['Door', 'By'],
  'history.col.districts': ['Wijken', 'Districts'],
  'history.col.slots': ['Dagdelen', 'Day parts'],
  'history.col.proposals': ['Voorstellen', 'Proposals'],
  'history.col.fill': ['Gevuld', 'Filled'],
  'history.col.at': ['Wanneer', 'When'],
  'history.col.actor': ['Wie', 'Who'],
  'history.col.action': ['Wat', 'What'],
  'history.col.object': ['Waarop', 'On'],
  'history.col.detail': ['Toelichting', 'Detail'],
  'history.round.running': ['loopt', 'running'],
  'history.round.finished': ['klaar', 'finished'],
  'history.round.failed': ['mislukt', 'failed'],
  'history.slots.all': ['alle', 'all'],
  'history.slots.freed': ['vrijgekomen', 'freed'],
  'history.commandline': ['opdrachtregel', 'command line'],
  'history.fill': ['{filled} van {needed} ({rate})', '{filled} of {needed} ({rate})'],
  'actor.commandline': ['opdrachtregel (gebruiker {user})', 'command line (user {user})'],
  'actor.coordinator': ['coördinator (toegangscode {token})', 'coordinator (token {token})'],
  'actor.school': ['school {school} (toegangscode {token})', 'school {school} (token {token})'],
  'actor.organisation': ['organisatie {organisation} (toegangscode {token})', 'organisation {organisation} (token {token})'],
  'detail.decision': ['hulpvraag {request}, medewerker {employee}, {date} {part}', 'request {request}, employee {employee}, {date} {part}'],
  'detail.decisionwhy': ['hulpvraag {request}, medewerker {employee}, {date} {part}: {why}', 'request {request}, employee {employee}, {date} {part}: {why}'],
  'detail.round': ['wijken: {districts}; continuïteit {m} m', 'districts: {districts}; continuity {m} m'],
  'detail.roundfreed': ['wijken: {districts}; alleen vrijgekomen dagdelen; continuïteit {m} m', 'districts: {districts}; freed day parts only; continuity {m} m'],
  'detail.token.school': ['voor school {id}', 'for school {id}'],
  'detail.token.organisation': ['voor organisatie {id}', 'for organisation {id}'],
  'detail.token.coordinator': ['voor de coördinator, wijken: {districts}', 'for the coordinator, districts: {districts}'],
  'detail.invitation.school': ['school {id}', 'school {id}'],
  'detail.invitation.organisation': ['organisatie {id}', 'organisation {id}'],
  'detail.feed': ['agenda {feed} {target}, voor {owner}', '{feed} calendar {target}, for {owner}'],
  'object.assignments': ['inzet', 'assignment'],
  'object.requests': ['hulpvraag', 'request'],
  'object.rounds': ['ronde', 'round'],
  'object.employees': ['medewerker', 'employee'],
  'object.locations': ['locatie', 'location'],
  'object.tokens': ['toegangscode', 'token'],
  'object.invitations': ['uitnodiging', 'invitation'],
  'object.subscriptions': ['agenda-abonnement', 'calendar feed'],
  'audit.action.proposal.approve': ['voorstel goedgekeurd', 'proposal approved'],
  'audit.action.proposal.reject': ['voorstel afgewezen', 'proposal rejected'],
  'audit.action.proposal.swap': ['voorstel gewisseld', 'proposal swapped'],
  'audit.action.assignment.cancel': ['inzet geannuleerd', 'assignment cancelled'],
  'audit.action.request.create': ['hulpvraag geplaatst', 'request posted'],
  'audit.action.request.update': ['hulpvraag gewijzigd', 'request changed'],
  'audit.action.request.cancel': ['hulpvraag geannuleerd', 'request cancelled'],
  'audit.action.request.cancel_part': ['dagdeel van hulpvraag geannuleerd', 'day part of request cancelled'],
  'audit.action.round.start': ['ronde gestart', 'round started'],
  'audit.action.employee.create': ['medewerker toegevoegd', 'employee added'],
  'audit.action.employee.update': ['medewerker gewijzigd', 'employee changed'],
  'audit.action.employee.availability': ['beschikbaarheid gewijzigd', 'availability changed'],
  'audit.action.employee.confirm': ['beschikbaarheid bevestigd', 'availability confirmed'],
  'audit.action.employee.deactivate': ['medewerker op niet actief gezet', 'employee deactivated'],
  'audit.action.location.load': ['bezetting locatie gewijzigd', 'location figures changed'],
  'audit.action.invitation.create': ['uitnodiging verstuurd', 'invitation sent'],
  'audit.action.subscription.create': ['agenda-abonnement gemaakt', 'calendar feed created'],
  'audit.action.subscription.revoke': ['agenda-abonnement ingetrokken', 'calendar feed revoked'],
  'audit.action.token.create': ['toegangscode gemaakt', 'token created'],
  'audit.action.token.revoke': ['toegangscode ingetrokken', 'token revoked'],
  'unfilled.title': ['Open plekken', 'Unfilled staff-slots'],
  'unfilled.intro': ['Plekken die de laatste ronde niet kon vullen, met de reden in gewone woorden.', 'Staff-slots the latest round could not fill, with the reason in plain words.'],
  'unfilled.round': ['Uit ronde {id} ({when}).', 'From round {id} ({when}).'],
  'unfilled.none': ['Alle plekken zijn gevuld. Mooi!', 'Every staff-slot is filled. Well done!'],
  'unfilled.noround': ['Er is nog geen ronde gedraaid.', 'No round has run yet.'],
  'unfilled.noroundhint': ['Start een ronde op het overzicht.', 'Start a round on the dashboard.'],
  'unfilled.missing': ['{missing} van {needed} open', '{missing} of {needed} open'],
  'unfilled.request': ['Hulpvraag {id}', 'Request {id}'],
  'funnel.nobody': ['niemand met een VOG beschikbaar die {part}', 'nobody with a VOG is available that {part}'],
  'funnel.available': ['{n} beschikbaar die {part}', '{n} available that {part}'],
  'funnel.stale': ['maar niet bevestigd sinds {date}', 'but not confirmed since {date}'],
  'funnel.confirmed': ['bevestigd sinds {date}', 'confirmed since {date}'],
  'funnel.with': ['met {quals}', 'with {quals}'],
  'funnel.withrequired': ['met de vereiste kwalificaties', 'with the required qualifications'],
  'funnel.within': ['binnen {km} km', 'within {km} km'],
  'funnel.notrejected': ['niet afgewezen voor deze hulpvraag', 'not rejected for this request'],
  'funnel.free': ['nog vrij', 'still free'],
  'funnel.allrejected': ['allemaal afgewezen voor deze hulpvraag', 'all rejected for this request'],
  'funnel.locationneeds': ['maar hun locatie heeft hen die {part} zelf nodig', 'but their location needs them that {part}'],
  'funnel.spared': ['waarvan hun locatie er {n} kan missen', '{n} of them spared by their location'],
  'funnel.none': ['niemand {what}', 'none {what}'],
  'funnel.count': ['{n} {what}', '{n} {what}'],
  'funnel.taken': ['ingezet bij {list}', 'taken by {list}'],
  'whatif.label': ['Wat als', 'What if'],
  'whatif.found': ['Gevuld als {what}.', 'Filled if {what}.'],
  'whatif.foundmore': ['Eén plek meer gevuld als {what}.', 'One more filled if {what}.'],
  'whatif.travel.request': ['de reisafstand van de hulpvraag {to} km was in plaats van {from}', 'the request\'s travel limit were {to} km instead of {from}'],
  'whatif.travel.employee': ['{employee} {to} km wilde reizen in plaats van {from}', '{employee} could travel {to} km instead of {from}'],
  'whatif.preferred': ['{qual} gewenst was in plaats van vereist', '{qual} were preferred rather than required'],
  'whatif.extra_day_part': ['{employee} die week één dagdeel meer kon werken ({to} in plaats van {from})', '{employee} could work one more day part that week ({to} instead of {from})'],
  'whatif.yield': ['{request} ({priority}) zijn {part} afstond', '{request} ({priority}) gave up its {part}'],
  'whatif.yield.staff': [' ({n} krachten)', ' ({n} staff)'],
  'whatif.priority.normal': ['normale prioriteit', 'normal priority'],
  'whatif.priority.high': ['hoge prioriteit', 'high priority'],
  'whatif.none': ['Geen enkele versoepeling alleen zou deze plek vullen.', 'No single relaxation would fill it.'],
  'whatif.skipped': ['Niet onderzocht: het budget voor wat-als was op.', 'Not looked into: the round\'s what-if budget ran out.'],
  'part.morning.that': ['ochtend', 'morning'],
  'part.afternoon.that': ['middag', 'afternoon'],
  'and': ['en', 'and'],
  'day.mon': ['ma', 'Mon'],
  'day.tue': ['di', 'Tue'],
  'day.wed': ['wo', 'Wed'],
  'day.thu': ['do', 'Thu'],
  'day.fri': ['vr', 'Fri'],
  'day.sat': ['za', 'Sat'],
  'day.sun': ['zo', 'Sun'],
  'part.morning': ['ochtend', 'morning'],
  'part.afternoon': ['middag', 'afternoon'],
  'qual.vog': ['VOG', 'VOG'],
  'qual.pm': ['PM-diploma', 'PM diploma'],
  'qual.bso': ['BSO-ervaring', 'BSO experience'],
  'qual.kdv': ['KDV-ervaring', 'KDV experience'],
  'qual.first-aid': ['EHBO voor kinderen', 'paediatric first aid'],
  'qual.special-needs': ['ervaring speciale zorg', 'special-needs experience'],
};

// The languages, in the order of the texts above; the first is the default.
const LANGS = ['nl', 'en'];

export function lang() {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' ? 'en' : 'nl';
}

export function setLang(value) {
  localStorage.setItem(LANG_KEY, value === 'en' ? 'en' : 'nl');
}

// The text for `key` with {name} placeholders filled from `vars`.
// With a number `n` in `vars`, the plural form `KEY.one` or `KEY.other` is chosen by
// the language's plural rules when the texts have them ("1 voorstel", "2 voorstellen").
export function t(key, vars) {
  if (typeof vars?.n === 'number' && !TEXTS[key]) {
    const form = `${key}.${new Intl.PluralRules(lang()).select(vars.n) === 'one' ? 'one' : 'other'}`;
    if (TEXTS[form]) key = form;
  }
  const texts = TEXTS[key];
  const text = texts ? texts[LANGS.indexOf(lang())] : key;
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

// '4 mei 2020 14:05' from an API time ('2020-05-04T12:05:00Z'), in local time.
export function formatDateTime(time) {
  if (!time) return '—';
  return new Intl.DateTimeFormat(locale(), {day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit',
                                            minute: '2-digit'}).format(new Date(time));
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
  if (TEXTS[`error.code.${error.code}`]) return t(`error.code.${error.code}`);
  if ([401, 403, 404, 409, 413, 503].includes(error.status)) return t(`error.${error.status}`);
  return t('error.other', {status: error.status, message: error.message});
}

// The API's messages for invalid fields are English; the common ones are said in
// Dutch too, the rest are shown as the API wrote them.
const NL_MESSAGES = [
  // The spreadsheet import's own messages (model/csv, api/csv-import.c).
  [/^unknown column "(.*)" \(expected one of (.*)\)$/, (m) => `Onbekende kolom "${m[1]}" (mogelijk: ${m[2]})`],
  [/^employees have no postcode/, () => 'Medewerkers hebben geen postcode: vul de wijk in (en eventueel lat en lon)'],
  [/^the column (.*) is given twice$/, (m) => `De kolom ${m[1]} staat er twee keer in`],
  [/^missing column (\S+) \(or \S+\)$/, (m) => `De kolom ${m[1]} ontbreekt`],
  [/^the file is empty/, () => 'Het bestand is leeg'],
  [/^missing \(expected the employee's id/, () => 'Vul een id in, bijvoorbeeld het personeelsnummer'],
  [/^no district with id "(.*)"$/, (m) => `Er is geen wijk "${m[1]}"`],
  [/^no location with id "(.*)"$/, (m) => `Er is geen locatie "${m[1]}"`],
  [/^"(.*)" is not a qualification/, (m) => `"${m[1]}" is geen kwalificatie (mogelijk: vog, pm, bso, kdv, first-aid, special-needs)`],
  [/^"(.*)" is not ja or nee/, (m) => `"${m[1]}" is geen ja of nee`],
  [/^"(.*)" is not a whole number/, (m) => `"${m[1]}" is geen geheel getal`],
  [/^"(.*)" is not a number/, (m) => `"${m[1]}" is geen getal (bijvoorbeeld 52,3712)`],
  [/^"(.*)" is not a date/, (m) => `"${m[1]}" is geen datum (schrijf dd-mm-jjjj)`],
  [/^"(.*)" is not a day part/, (m) => `"${m[1]}" is geen dagdeel (schrijf bijvoorbeeld "14-04-2020 ochtend", gescheiden door |)`],
  [/^says nee, but the qualifications list vog/, () => 'Hier staat nee, maar bij de kwalificaties staat vog'],
  [/^duplicate id "(.*)" \(first at row (\d+)\)$/, (m) => `Id "${m[1]}" staat ook al in rij ${m[2]}`],
  [/^"(.*)" is already taken/, (m) => `Id "${m[1]}" is al in gebruik bij een andere organisatie`],
  [/^"(.*)" is outside your districts/, (m) => `Wijk "${m[1]}" valt buiten uw gebied`],
  [/^"(.*)" is not the organisation of this import/, (m) => `"${m[1]}" is niet uw organisatie`],
  [/is not valid UTF-8/, () => 'Geen leesbare tekst: sla het bestand op als "CSV UTF-8"'],
  [/^a quoted cell is never closed/, () => 'Een cel tussen aanhalingstekens wordt niet afgesloten'],
  [/^text after a closing quote/, () => 'Tekst na een afsluitend aanhalingsteken'],
  [/stands in cell (\d+), under no column/, (m) => `Cel ${m[1]} staat onder geen enkele kolom`],
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
  // Never English on a Dutch page: an API message without a Dutch form is said generally
  // (the field it belongs to is marked).
  return t('error.field');
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
// limit; `takenBy` names the requests that took the last candidates; `since`, the
// round's confirmed_since, dates availability that went stale ("4 beschikbaar die
// ochtend, maar niet bevestigd sinds 12 april").
export function funnelText(unfilled, request, takenBy, since) {
  const f = unfilled.funnel;
  const part = t(`part.${unfilled.part}.that`);
  if (f.available === 0) return t('funnel.nobody', {part});
  const parts = [t('funnel.available', {n: f.available, part})];
  if (since && f.confirmed !== undefined && f.confirmed < f.available) {
    const date = formatDay(since, {day: 'numeric', month: 'long'});
    if (f.confirmed === 0) return `${parts[0]}, ${t('funnel.stale', {date})}`;
    parts.push(t('funnel.count', {n: f.confirmed, what: t('funnel.confirmed', {date})}));
  }
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
  // H7: the ones still free whom their own childcare location cannot spare.
  if (f.lendable === 0) parts.push(t('funnel.locationneeds', {part}));
  else if (f.lendable !== undefined && f.lendable < f.left) parts.push(t('funnel.spared', {n: f.lendable}));
  return parts.join(', ');
}
