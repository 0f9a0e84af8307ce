#!/usr/bin/env python3
"""Write tests/data/time/probe.jsonl: our own time cases, unseen by the shared dev set.

usage: make_time_probe.py [SHARED_TIME_DIR] [--show]

The shared dev set is a sample; these cases check the same abilities with other words, other
orders and other days, in every locale. Their expected items are computed with the helpers of
the shared generator (SHARED_TIME_DIR/make_dev.py, default ../shared/eval/time next to the source
tree), which implement FORMAT.md's conventions; no expected date is typed by hand. Add cases at the
end so that the ids of the existing ones stay as they are.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
args = [a for a in sys.argv[1:] if not a.startswith("--")]
SHARED = Path(args[0]) if args else ROOT.parent / "shared" / "eval" / "time"
sys.path.insert(0, str(SHARED))
import make_dev as m  # noqa: E402

m.ZONES.setdefault("Berlin", ("Europe/Berlin", False))  # "CET" named in summer: the zone, not the offset
from make_dev import (NY, CHI, DEN, LA, LON, BER, PAR, MAD, P, I, S, D, DR, PD, A, B,  # noqa: E402
                      past, alt, nx, ampm, wd, day, on, near, rel, date, nth, month, week, following,
                      rest_of_week, weekday_in, week_of, bare, pm, am, at, mid, in_zone, ONE)

m.CASES.clear()
case = m.case

# ---------------------------------------------------------------- en_US
L = "en_US"
case(L, NY, "2026-03-03 09:10", "Could we meet Wednesday at 4?",
     lambda c: [P(at(wd(c, "Wed"), bare(4)), "+")])
case(L, CHI, "2026-05-06 14:00", "I'm tied up Monday; Tuesday after 2 is open.",
     lambda c: [D(wd(c, "Mon"), "-"), A(at(wd(c, "Tue"), bare(2)), "+")])
case(L, LA, "2026-02-17 16:30", "Does 9:45 tomorrow morning work?",
     lambda c: [P(at(rel(c, 1), 9, 45), "+")])
case(L, NY, "2026-06-10 11:00", "Let's touch base again in two weeks.",
     lambda c: [D(rel(c, 14), "+")])
case(L, NY, "2026-03-02 10:00", "How about Monday, March 9 at 1:30 pm?",
     lambda c: [P(at(on(date(c, 3, 9), "Mon"), 13, 30), "+")])
case(L, DEN, "2026-04-14 08:20", "Friday at noon works; Thursday doesn't.",
     lambda c: [P(at(wd(c, "Fri"), 12), "+"), D(wd(c, "Thu"), "-")])
case(L, NY, "2026-09-08 13:45", "I can do 11:30 or 2:15 on Thursday.",
     lambda c: [P(at(wd(c, "Thu"), 11, 30), "+"), P(at(wd(c, "Thu"), 14, 15), "+")])
case(L, CHI, "2026-06-22 10:00", "We're closed on 7/3, so let's do 7/6 at 10.",
     lambda c: [D(date(c, 7, 3), "-"), P(at(date(c, 7, 6), 10), "+")])
case(L, LA, "2026-10-05 12:30", "Let's grab lunch on Friday.",
     lambda c: [PD(wd(c, "Fri"), "lunch", "+")])
case(L, NY, "2026-01-20 09:00", "Could you do Thursday between 10 and 11:30?",
     lambda c: [I(at(wd(c, "Thu"), 10), at(wd(c, "Thu"), 11, 30), "+")])
case(L, CHI, "2026-08-24 15:10", "Any time Wednesday afternoon works.",
     lambda c: [PD(wd(c, "Wed"), "afternoon", "+")])
case(L, NY, "2026-04-09 10:00", "I'm free after 3:30 today.",
     lambda c: [A(at(c.today, 15, 30), "+")])
case(L, LA, "2026-07-13 17:00", "Can we talk sometime before noon on Tuesday?",
     lambda c: [B(at(wd(c, "Tue"), 12), "+")])
case(L, NY, "2026-12-29 09:00", "The week of January 11 is tough for me.",
     lambda c: [S(week_of(c, date(c, 1, 11)), "-")])
case(L, NY, "2026-05-12 16:00", "Is next Wednesday at 10 still on?",
     lambda c: [nx(c, "Wed", lambda d: P(at(d, bare(10)), "+"))])
case(L, CHI, "2026-02-10 08:00", "Let's do 5:30pm ET on Monday.",
     lambda c: [P(in_zone(c, wd(c, "Mon"), 17, 30, "ET"), "+")])
case(L, NY, "2026-11-17 09:30", "I could meet at 8 on Friday.",
     lambda c: [ampm(at(wd(c, "Fri"), 8), at(wd(c, "Fri"), pm(8)), "+")])
case(L, NY, "2026-10-13 14:00", "How about dinner Thursday at 7?",
     lambda c: [P(at(wd(c, "Thu"), pm(7)), "+")])
case(L, DEN, "2026-04-22 09:00", "I'm out tomorrow, but free Friday morning.",
     lambda c: [D(rel(c, 1), "-"), PD(wd(c, "Fri"), "morning", "+")])
case(L, NY, "2026-01-10 10:00", "Sometime in February would be best.",
     lambda c: [S(month(c, 2), "+")])
case(L, LA, "2026-06-03 11:00", "Would 10 am on the 22nd work?",
     lambda c: [P(at(nth(c, 22), 10), "+")])
case(L, NY, "2026-09-15 10:00", "I'm booked solid this week, but next week looks good.",
     lambda c: [S(rest_of_week(c), "-"), S(week(c, "next"), "+")])
case(L, CHI, "2026-03-18 11:00",
     "We met on Monday to review your portfolio. Can we follow up on Thursday at 2?",
     lambda c: [past(D(day(c, "past", "Mon"), "0")), P(at(wd(c, "Thu"), bare(2)), "+")])
case(L, NY, "2026-07-07 09:00", "I'm free from 1 to 3 the day after tomorrow.",
     lambda c: [I(at(rel(c, 2), bare(1)), at(rel(c, 2), bare(3)), "+")])
case(L, LA, "2026-10-20 15:00", "Could we do the 2nd at 11?",
     lambda c: [P(at(nth(c, 2), 11), "+")])
case(L, NY, "2026-09-28 10:00", "Is 3:15 on Monday, Oct 5 ok?",
     lambda c: [P(at(on(date(c, 10, 5), "Mon"), bare(3), 15), "+")])
case(L, CHI, "2026-09-28 10:00", "The conference is Oct 12-14, so I'm out then.",
     lambda c: [DR(date(c, 10, 12), date(c, 10, 14), "-")])
case(L, NY, "2026-02-24 09:00", "Tomorrow's no good; what about Thursday evening?",
     lambda c: [D(rel(c, 1), "-"), PD(wd(c, "Thu"), "evening", "+")])
case(L, NY, "2026-04-28 09:00", "Let's aim for end of day Friday.",
     lambda c: [P(at(wd(c, "Fri"), 17), "+")])
case(L, DEN, "2026-08-05 09:00", "Could we reschedule to 4:30 this afternoon?",
     lambda c: [P(at(c.today, 16, 30), "+")])
case(L, NY, "2026-05-19 16:00", "What about noon tomorrow?",
     lambda c: [P(at(rel(c, 1), 12), "+")])
case(L, NY, "2026-03-24 08:00", "10am PT on Wednesday works for me.",
     lambda c: [P(in_zone(c, wd(c, "Wed"), 10, 0, "PT"), "+")])
case(L, NY, "2026-01-02 10:00", "Happy New Year! Are you around on Jan 8?",
     lambda c: [D(date(c, 1, 8), "+")])
case(L, CHI, "2026-11-09 10:00", "Call me at 555-0142 any time Thursday.",
     lambda c: [D(wd(c, "Thu"), "+")])
case(L, NY, "2026-06-16 10:00", "We're on version 2.3 now; can we demo it next Monday at 1?",
     lambda c: [nx(c, "Mon", lambda d: P(at(d, bare(1)), "+"))])
case(L, LA, "2026-11-10 10:00", "Monday the 16th at 3?",
     lambda c: [P(at(on(date(c, 11, 16), "Mon"), bare(3)), "+")])
case(L, NY, "2026-08-18 10:00", "Let's regroup in 10 days.",
     lambda c: [D(rel(c, 10), "+")])
case(L, CHI, "2026-03-10 10:00", "Wednesday works, or Thursday before 11.",
     lambda c: [D(wd(c, "Wed"), "+"), B(at(wd(c, "Thu"), 11), "+")])
case(L, NY, "2026-02-03 10:00", "Either the 9th or the 10th works for me.",
     lambda c: [D(nth(c, 9), "+"), D(nth(c, 10), "+")])
case(L, NY, "2026-12-01 10:00", "Please confirm your availability by Thursday.",
     lambda c: [B(mid(wd(c, "Thu") + ONE), "0")])

# ---------------------------------------------------------------- en_GB
L = "en_GB"
case(L, LON, "2026-05-05 09:00", "Could we do Thursday at half 2?",
     lambda c: [P(at(wd(c, "Thu"), 14, 30), "+")])
case(L, LON, "2026-03-02 10:00", "Would 11/03 at 10am suit?",
     lambda c: [P(at(date(c, 3, 11), 10), "+")])
case(L, LON, "2026-07-20 10:00", "I'm on holiday from 5 to 9 August.",
     lambda c: [DR(date(c, 8, 5), date(c, 8, 9), "-")])
case(L, LON, "2026-06-10 10:00", "Monday's no good, but Tuesday afternoon is free.",
     lambda c: [D(wd(c, "Mon"), "-"), PD(wd(c, "Tue"), "afternoon", "+")])
case(L, LON, "2026-02-09 10:00", "Shall we say 4.15pm on Friday?",
     lambda c: [P(at(wd(c, "Fri"), 16, 15), "+")])
case(L, LON, "2026-10-06 10:00", "Next Thursday at 2 would suit me.",
     lambda c: [nx(c, "Thu", lambda d: P(at(d, bare(2)), "+"))])
case(L, LON, "2026-04-14 10:00", "Could we speak at 10am ET on Monday?",
     lambda c: [P(in_zone(c, wd(c, "Mon"), 10, 0, "ET"), "+")])
case(L, LON, "2026-06-03 11:00", "How about the 21st at 9.30?",
     lambda c: [P(at(nth(c, 21), 9, 30), "+")])
case(L, LON, "2026-11-12 10:00", "I can't make 20/11, sorry.",
     lambda c: [D(date(c, 11, 20), "-")])
case(L, LON, "2026-11-10 10:00", "Let's pencil in Wednesday 18 November at 11.",
     lambda c: [P(at(on(date(c, 11, 18), "Wed"), 11), "+")])
case(L, LON, "2026-09-08 10:00", "The week after next is looking clearer.",
     lambda c: [S(week(c, "after_next"), "+")])
case(L, LON, "2026-01-13 15:00", "Any chance of a call tomorrow before 10?",
     lambda c: [B(at(rel(c, 1), 10), "+")])
case(L, LON, "2026-03-17 10:00", "I'm off on Friday, but Monday at 3 is fine.",
     lambda c: [D(wd(c, "Fri"), "-"), P(at(wd(c, "Mon"), bare(3)), "+")])
case(L, LON, "2026-05-26 10:00", "Tuesday between 10 and 12 would be ideal.",
     lambda c: [I(at(wd(c, "Tue"), 10), at(wd(c, "Tue"), 12), "+")])
case(L, LON, "2026-08-25 10:00", "Could we meet at 12.30 on the 5th?",
     lambda c: [P(at(nth(c, 5), 12, 30), "+")])
case(L, LON, "2026-12-08 10:00", "Sorry, I meant Thursday, not Tuesday.",
     lambda c: [D(wd(c, "Thu"), "+"), D(wd(c, "Tue"), "0")])
case(L, LON, "2026-02-02 10:00", "I'm away until the 12th.",
     lambda c: [B(mid(nth(c, 12) + ONE), "-")])
case(L, LON, "2026-10-21 10:00", "Would 8 on Monday morning work?",
     lambda c: [P(at(wd(c, "Mon"), 8), "+")])

# ---------------------------------------------------------------- de_DE
L = "de_DE"
case(L, BER, "2026-04-07 10:00", "Passt es Ihnen am Donnerstag um 16 Uhr?",
     lambda c: [P(at(wd(c, "Thu"), 16), "+")])
case(L, BER, "2026-06-08 10:00", "Am Mittwoch kann ich leider nicht, Donnerstag Vormittag aber gern.",
     lambda c: [D(wd(c, "Wed"), "-"), PD(wd(c, "Thu"), "morning", "+")])
case(L, BER, "2026-03-02 10:00", "Wie wäre es mit dem 15.03. um 10:30 Uhr?",
     lambda c: [P(at(date(c, 3, 15), 10, 30), "+")])
case(L, BER, "2026-09-14 10:00", "Übermorgen um 14 Uhr hätte ich Zeit.",
     lambda c: [P(at(rel(c, 2), 14), "+")])
case(L, BER, "2026-10-14 10:00", "Nächste Woche bin ich auf Dienstreise.",
     lambda c: [S(week(c, "next"), "-")])
case(L, BER, "2026-05-13 10:00", "Kommenden Dienstag um 9 Uhr?",
     lambda c: [P(at(wd(c, "Tue"), 9), "+")])
case(L, BER, "2026-01-19 10:00", "Morgen Nachmittag wäre ideal.",
     lambda c: [PD(rel(c, 1), "afternoon", "+")])
case(L, BER, "2026-02-24 10:00", "Am Freitag zwischen 10 und 12 Uhr passt es mir.",
     lambda c: [I(at(wd(c, "Fri"), 10), at(wd(c, "Fri"), 12), "+")])
case(L, BER, "2026-07-15 10:00", "Vom 3. bis 7. August bin ich im Urlaub.",
     lambda c: [DR(date(c, 8, 3), date(c, 8, 7), "-")])
case(L, BER, "2026-11-04 10:00", "Heute Abend um 18 Uhr?",
     lambda c: [P(at(c.today, 18), "+")])
case(L, BER, "2026-06-23 10:00", "Ab 15 Uhr bin ich morgen frei.",
     lambda c: [A(at(rel(c, 1), 15), "+")])
case(L, BER, "2026-09-22 10:00", "Diese Woche ist schlecht, aber nächste Woche Dienstag passt.",
     lambda c: [S(rest_of_week(c), "-"), D(weekday_in(week(c, "next"), "Tue"), "+")])
case(L, BER, "2026-03-25 10:00", "Viertel vor zehn am Montag?",
     lambda c: [P(at(wd(c, "Mon"), 9, 45), "+")])
case(L, BER, "2026-07-20 10:00", "Im September habe ich mehr Zeit.",
     lambda c: [S(month(c, 9), "+")])
case(L, BER, "2026-05-04 10:00", "In 2 Wochen können wir weitersprechen.",
     lambda c: [D(rel(c, 14), "+")])
case(L, BER, "2026-02-10 10:00", "Um 11 Uhr New Yorker Zeit am Donnerstag?",
     lambda c: [P(in_zone(c, wd(c, "Thu"), 11, 0, "New York"), "+")])
case(L, BER, "2026-08-11 10:00", "Mittwoch um 8?",
     lambda c: [ampm(at(wd(c, "Wed"), 8), at(wd(c, "Wed"), pm(8)), "+")])
case(L, BER, "2026-10-05 10:00", "Vor Donnerstag wäre mir lieber.",
     lambda c: [B(mid(wd(c, "Thu")), "+")])
case(L, BER, "2026-03-20 10:00", "Am 1. April um 10 Uhr?",
     lambda c: [P(at(date(c, 4, 1), 10), "+")])
case(L, BER, "2026-11-24 10:00", "Halb elf am Dienstag?",
     lambda c: [P(at(wd(c, "Tue"), 10, 30), "+")])

# ---------------------------------------------------------------- fr_FR
L = "fr_FR"
case(L, PAR, "2026-04-07 10:00", "Mercredi à 10h, ça vous va ?",
     lambda c: [P(at(wd(c, "Wed"), 10), "+")])
case(L, PAR, "2026-06-10 10:00", "Je ne peux pas lundi, mais mardi après-midi c'est bon.",
     lambda c: [D(wd(c, "Mon"), "-"), PD(wd(c, "Tue"), "afternoon", "+")])
case(L, PAR, "2026-03-02 10:00", "Pourrions-nous nous voir le 12/03 à 14h ?",
     lambda c: [P(at(date(c, 3, 12), 14), "+")])
case(L, PAR, "2026-10-14 10:00", "Je suis en déplacement la semaine prochaine.",
     lambda c: [S(week(c, "next"), "-")])
case(L, PAR, "2026-05-12 10:00", "Jeudi prochain à 9h30 ?",
     lambda c: [nx(c, "Thu", lambda d: P(at(d, 9, 30), "+"))])
case(L, PAR, "2026-01-19 10:00", "Demain matin, je suis disponible.",
     lambda c: [PD(rel(c, 1), "morning", "+")])
case(L, PAR, "2026-02-24 10:00", "Entre 14h et 16h vendredi, si possible.",
     lambda c: [I(at(wd(c, "Fri"), 14), at(wd(c, "Fri"), 16), "+")])
case(L, PAR, "2026-07-15 10:00", "Du 3 au 7 août, je serai absent.",
     lambda c: [DR(date(c, 8, 3), date(c, 8, 7), "-")])
case(L, PAR, "2026-11-04 10:00", "Ce soir à 19h ?",
     lambda c: [P(at(c.today, 19), "+")])
case(L, PAR, "2026-06-23 10:00", "À partir de 15h demain, je suis libre.",
     lambda c: [A(at(rel(c, 1), 15), "+")])
case(L, PAR, "2026-09-28 10:00", "Le lundi 5 octobre à 11h ?",
     lambda c: [P(at(on(date(c, 10, 5), "Mon"), 11), "+")])
case(L, PAR, "2026-07-20 10:00", "En septembre, ce sera plus simple.",
     lambda c: [S(month(c, 9), "+")])
case(L, PAR, "2026-05-04 10:00", "Dans 2 semaines, on refait le point.",
     lambda c: [D(rel(c, 14), "+")])
case(L, PAR, "2026-02-10 10:00", "Mardi à 10h, heure de New York ?",
     lambda c: [P(in_zone(c, wd(c, "Tue"), 10, 0, "New York"), "+")])
case(L, PAR, "2026-10-05 10:00", "Avant jeudi, s'il vous plaît.",
     lambda c: [B(mid(wd(c, "Thu")), "+")])
case(L, PAR, "2026-08-11 10:00", "Vendredi 9h ou lundi 14h ?",
     lambda c: [P(at(wd(c, "Fri"), 9), "+"), P(at(wd(c, "Mon"), 14), "+")])
case(L, PAR, "2026-03-16 10:00", "Je ne suis pas libre mercredi après-midi.",
     lambda c: [PD(wd(c, "Wed"), "afternoon", "-")])
case(L, PAR, "2026-09-14 10:00", "Après-demain à 11h ?",
     lambda c: [P(at(rel(c, 2), 11), "+")])
case(L, PAR, "2026-03-20 10:00", "Le 1er avril à 10h ?",
     lambda c: [P(at(date(c, 4, 1), 10), "+")])
case(L, PAR, "2026-09-22 10:00", "Cette semaine, je suis complet.",
     lambda c: [S(rest_of_week(c), "-")])

# ---------------------------------------------------------------- es_ES
L = "es_ES"
case(L, MAD, "2026-04-07 10:00", "¿Te viene bien el jueves a las 4 de la tarde?",
     lambda c: [P(at(wd(c, "Thu"), 16), "+")])
case(L, MAD, "2026-06-10 10:00", "El miércoles no puedo, pero el jueves por la tarde sí.",
     lambda c: [D(wd(c, "Wed"), "-"), PD(wd(c, "Thu"), "afternoon", "+")])
case(L, MAD, "2026-03-02 10:00", "¿Quedamos el 12/03 a las 10?",
     lambda c: [P(at(date(c, 3, 12), 10), "+")])
case(L, MAD, "2026-10-14 10:00", "La semana que viene estoy fuera.",
     lambda c: [S(week(c, "next"), "-")])
case(L, MAD, "2026-05-12 10:00", "El próximo martes a las 9:30, ¿te va bien?",
     lambda c: [nx(c, "Tue", lambda d: P(at(d, 9, 30), "+"))])
case(L, MAD, "2026-01-19 10:00", "Mañana por la tarde me viene bien.",
     lambda c: [PD(rel(c, 1), "afternoon", "+")])
case(L, MAD, "2026-07-15 10:00", "Del 3 al 7 de agosto estaré de vacaciones.",
     lambda c: [DR(date(c, 8, 3), date(c, 8, 7), "-")])
case(L, MAD, "2026-11-04 10:00", "Hoy a las 19:00 podría.",
     lambda c: [P(at(c.today, 19), "+")])
case(L, MAD, "2026-06-23 10:00", "A partir de las 15:00 mañana estoy libre.",
     lambda c: [A(at(rel(c, 1), 15), "+")])
case(L, MAD, "2026-09-28 10:00", "¿El lunes 5 de octubre a las 11?",
     lambda c: [P(at(on(date(c, 10, 5), "Mon"), 11), "+")])
case(L, MAD, "2026-07-20 10:00", "En septiembre tendré más tiempo.",
     lambda c: [S(month(c, 9), "+")])
case(L, MAD, "2026-05-04 10:00", "En 3 días lo hablamos.",
     lambda c: [D(rel(c, 3), "+")])
case(L, MAD, "2026-02-10 10:00", "¿El martes a las 10, hora de Nueva York?",
     lambda c: [P(in_zone(c, wd(c, "Tue"), 10, 0, "New York"), "+")])
case(L, MAD, "2026-10-05 10:00", "Antes del jueves, por favor.",
     lambda c: [B(mid(wd(c, "Thu")), "+")])
case(L, MAD, "2026-08-11 10:00", "¿Viernes a las 9 o lunes a las 14?",
     lambda c: [P(at(wd(c, "Fri"), 9), "+"), P(at(wd(c, "Mon"), 14), "+")])
case(L, MAD, "2026-03-16 10:00", "No estoy disponible el miércoles por la mañana.",
     lambda c: [PD(wd(c, "Wed"), "morning", "-")])
case(L, MAD, "2026-09-14 10:00", "Pasado mañana a las 11, ¿vale?",
     lambda c: [P(at(rel(c, 2), 11), "+")])
case(L, MAD, "2026-03-20 10:00", "¿El 1 de abril a las 10?",
     lambda c: [P(at(date(c, 4, 1), 10), "+")])
case(L, MAD, "2026-09-22 10:00", "Esta semana lo tengo complicado.",
     lambda c: [S(rest_of_week(c), "-")])
case(L, MAD, "2026-02-24 10:00", "Entre las 10 y las 12 del viernes me va bien.",
     lambda c: [I(at(wd(c, "Fri"), 10), at(wd(c, "Fri"), 12), "+")])


# ---------------------------------------------------------------- batch 2: whole messages, traps, edges
L = "en_US"
case(L, NY, "2026-11-02 09:00",
     "Hi Sam,\nThanks for the quick turnaround. I'm slammed Tuesday and Wednesday, but Thursday at 10:30 or "
     "Friday after lunch would work.\nBest,\nDana",
     lambda c: [D(wd(c, "Tue"), "-"), D(wd(c, "Wed"), "-"), P(at(wd(c, "Thu"), 10, 30), "+"),
                A(at(wd(c, "Fri"), 13), "+")])
case(L, CHI, "2026-05-04 10:00", "Morning Jess! Does Wednesday at 1 still work for the call?",
     lambda c: [P(at(wd(c, "Wed"), bare(1)), "+")])
case(L, NY, "2026-04-20 10:00", "May 5 is out for me, but May 6 at 2 is wide open.",
     lambda c: [D(date(c, 5, 5), "-"), P(at(date(c, 5, 6), bare(2)), "+")])
case(L, LA, "2026-03-06 10:00", "Sunday at 9 works for a quick sync before the week starts.",
     lambda c: [P(at(wd(c, "Sun"), bare(9)), "+")])
case(L, NY, "2026-12-28 15:00", "Could we do Jan 2 at 11?",
     lambda c: [P(at(date(c, 1, 2), 11), "+")])
case(L, CHI, "2028-02-22 10:00", "How about Feb 29 at 3:30?",
     lambda c: [P(at(date(c, 2, 29), bare(3), 30), "+")])
case(L, NY, "2026-08-10 10:00", "I rated the candidate 4/5; can we debrief Thursday at 2:30?",
     lambda c: [P(at(wd(c, "Thu"), bare(2), 30), "+")])
case(L, LA, "2026-09-01 10:00", "The screen takes 30 minutes. Is 11am Wednesday good?",
     lambda c: [P(at(wd(c, "Wed"), 11), "+")])
case(L, NY, "2026-10-26 10:00", "I'm out Monday through Wednesday next week.",
     lambda c: [DR(weekday_in(week(c, "next"), "Mon"), weekday_in(week(c, "next"), "Wed"), "-")])
case(L, DEN, "2026-06-15 10:00", "Let's meet at 1:30 MT on Friday.",
     lambda c: [P(in_zone(c, wd(c, "Fri"), 13, 30, "MT"), "+")])
case(L, NY, "2026-07-21 10:00", "2pm ET / 11am PT on Thursday works for both offices.",
     lambda c: [P(in_zone(c, wd(c, "Thu"), 14, 0, "ET"), "+")])
case(L, LA, "2026-01-13 10:00", "Could you do Thursday at 4pm CT?",
     lambda c: [P(in_zone(c, wd(c, "Thu"), 16, 0, "CT"), "+")])
case(L, NY, "2026-03-05 10:00", "Sunday at 2:30 works, right after the clocks change.",
     lambda c: [P(at(wd(c, "Sun"), bare(2), 30), "+")])
case(L, NY, "2026-02-11 10:00", "I can do any time from 9 to 11 tomorrow.",
     lambda c: [I(at(rel(c, 1), 9), at(rel(c, 1), 11), "+")])
case(L, CHI, "2026-10-01 10:00", "Would the week after next work for an onsite?",
     lambda c: [S(week(c, "after_next"), "+")])
case(L, NY, "2026-06-24 10:00", "I'm out until July 6; any day after that is fine.",
     lambda c: [B(mid(date(c, 7, 6) + ONE), "-")])
case(L, NY, "2026-09-09 10:00", "Please send me your slides by Monday.",
     lambda c: [B(mid(wd(c, "Mon") + ONE), "0")])
case(L, LA, "2026-11-11 10:00", "Let's do later this week, maybe Friday at 10?",
     lambda c: [P(at(day(c, "this", "Fri"), 10), "+")])
case(L, NY, "2026-04-06 10:00", "Tuesday 3-4pm or Wednesday 10-11am?",
     lambda c: [I(at(wd(c, "Tue"), 15), at(wd(c, "Tue"), 16), "+"),
                I(at(wd(c, "Wed"), 10), at(wd(c, "Wed"), 11), "+")])
case(L, CHI, "2026-07-08 10:00", "Call me at (312) 555-0199. I'm around tomorrow after 4.",
     lambda c: [A(at(rel(c, 1), bare(4)), "+")])

L = "en_GB"
case(L, LON, "2026-10-22 10:00", "The clocks go back on Sunday, so shall we say Monday at 9?",
     lambda c: [D(wd(c, "Sun"), "0"), P(at(wd(c, "Mon"), 9), "+")])
case(L, LON, "2026-12-21 10:00", "Could we do 02/01 at 10?",
     lambda c: [P(at(date(c, 1, 2), 10), "+")])
case(L, LON, "2026-05-12 10:00", "I'm in Leeds on Thursday; Friday from 2 is free.",
     lambda c: [D(wd(c, "Thu"), "-"), A(at(wd(c, "Fri"), bare(2)), "+")])
case(L, LON, "2026-03-10 10:00", "Half 10 on Wednesday?",
     lambda c: [P(at(wd(c, "Wed"), 10, 30), "+")])
case(L, LON, "2026-09-14 10:00", "Could we do 3pm CET on Tuesday?",
     lambda c: [P(in_zone(c, wd(c, "Tue"), 15, 0, "Berlin"), "+")])
case(L, LON, "2026-06-30 10:00", "Dear Priya,\nWould Thursday 9 July at 11am suit?\nKind regards,\nTom",
     lambda c: [P(at(on(date(c, 7, 9), "Thu"), 11), "+")])
case(L, LON, "2026-02-16 10:00", "Let's speak next week, ideally Tuesday afternoon.",
     lambda c: [PD(weekday_in(week(c, "next"), "Tue"), "afternoon", "+")])
case(L, LON, "2026-08-03 10:00", "I'm free all day Wednesday apart from 12 till 1.",
     lambda c: [D(wd(c, "Wed"), "+"), I(at(wd(c, "Wed"), 12), at(wd(c, "Wed"), 13), "-")])

L = "de_DE"
case(L, BER, "2026-10-21 10:00", "Hallo Frau Weber,\nam Montag um 9 Uhr passt es mir gut.\nViele Grüße\nJan",
     lambda c: [P(at(wd(c, "Mon"), 9), "+")])
case(L, BER, "2026-03-25 10:00", "Am Sonntag werden die Uhren umgestellt; Montag um 10 Uhr?",
     lambda c: [D(wd(c, "Sun"), "0"), P(at(wd(c, "Mon"), 10), "+")])
case(L, BER, "2026-12-28 10:00", "Wie wäre es am 2. Januar um 11 Uhr?",
     lambda c: [P(at(date(c, 1, 2), 11), "+")])
case(L, BER, "2026-06-16 10:00", "Donnerstag zwischen 14 und 16 Uhr oder Freitag ab 10 Uhr.",
     lambda c: [I(at(wd(c, "Thu"), 14), at(wd(c, "Thu"), 16), "+"), A(at(wd(c, "Fri"), 10), "+")])
case(L, BER, "2026-09-07 10:00", "Nächste Woche Mittwoch um 15 Uhr?",
     lambda c: [P(at(weekday_in(week(c, "next"), "Wed"), 15), "+")])
case(L, BER, "2026-04-14 10:00", "Um 10 Uhr Londoner Zeit am Freitag?",
     lambda c: [P(in_zone(c, wd(c, "Fri"), 10, 0, "London"), "+")])
case(L, BER, "2026-05-18 10:00", "Bis Mittwoch bin ich im Urlaub, ab Donnerstag wieder da.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-"), A(mid(wd(c, "Thu")), "+")])
case(L, BER, "2026-11-09 10:00", "Das Gespräch dauert 60 Minuten. Passt Dienstag um 11?",
     lambda c: [P(at(wd(c, "Tue"), 11), "+")])
case(L, BER, "2026-08-24 10:00", "Halb drei am Mittwoch?",
     lambda c: [P(at(wd(c, "Wed"), 14, 30), "+")])

L = "fr_FR"
case(L, PAR, "2026-10-21 10:00", "Bonjour Claire,\nLundi à 9h me conviendrait.\nCordialement,\nMarc",
     lambda c: [P(at(wd(c, "Mon"), 9), "+")])
case(L, PAR, "2026-12-28 10:00", "Le 2 janvier à 11h, ça vous irait ?",
     lambda c: [P(at(date(c, 1, 2), 11), "+")])
case(L, PAR, "2026-06-16 10:00", "Jeudi entre 14h et 16h ou vendredi à partir de 10h.",
     lambda c: [I(at(wd(c, "Thu"), 14), at(wd(c, "Thu"), 16), "+"), A(at(wd(c, "Fri"), 10), "+")])
case(L, PAR, "2026-04-14 10:00", "Vendredi à 10h, heure de Londres ?",
     lambda c: [P(in_zone(c, wd(c, "Fri"), 10, 0, "London"), "+")])
case(L, PAR, "2026-05-18 10:00", "Je suis en congés jusqu'à mercredi inclus ; jeudi, c'est possible.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-"), D(wd(c, "Thu"), "+")])
case(L, PAR, "2026-11-09 10:00", "L'entretien dure une heure. Mardi à 11h, ça vous va ?",
     lambda c: [P(at(wd(c, "Tue"), 11), "+")])
case(L, PAR, "2026-09-07 10:00", "La semaine prochaine, mercredi à 15h ?",
     lambda c: [P(at(weekday_in(week(c, "next"), "Wed"), 15), "+")])
case(L, PAR, "2026-03-03 10:00", "Mercredi à 14h30 plutôt que jeudi ?",
     lambda c: [P(at(wd(c, "Wed"), 14, 30), "+"), D(wd(c, "Thu"), "-")])

L = "es_ES"
case(L, MAD, "2026-10-21 10:00", "Hola Marta:\nEl lunes a las 9 me viene bien.\nUn saludo,\nJorge",
     lambda c: [P(at(wd(c, "Mon"), 9), "+")])
case(L, MAD, "2026-12-28 10:00", "¿El 2 de enero a las 11?",
     lambda c: [P(at(date(c, 1, 2), 11), "+")])
case(L, MAD, "2026-06-16 10:00", "El jueves entre las 14 y las 16 o el viernes a partir de las 10.",
     lambda c: [I(at(wd(c, "Thu"), 14), at(wd(c, "Thu"), 16), "+"), A(at(wd(c, "Fri"), 10), "+")])
case(L, MAD, "2026-04-14 10:00", "¿El viernes a las 10, hora de Londres?",
     lambda c: [P(in_zone(c, wd(c, "Fri"), 10, 0, "London"), "+")])
case(L, MAD, "2026-05-18 10:00", "Hasta el miércoles estoy fuera; el jueves ya puedo.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-"), D(wd(c, "Thu"), "+")])
case(L, MAD, "2026-11-09 10:00", "La entrevista dura una hora. ¿El martes a las 11 te va bien?",
     lambda c: [P(at(wd(c, "Tue"), 11), "+")])
case(L, MAD, "2026-09-07 10:00", "¿La semana que viene, el miércoles a las 15:00?",
     lambda c: [P(at(weekday_in(week(c, "next"), "Wed"), 15), "+")])
case(L, MAD, "2026-03-03 10:00", "Mejor el miércoles a las 9 que el jueves.",
     lambda c: [P(at(wd(c, "Wed"), 9), "+"), D(wd(c, "Thu"), "-")])


# ---------------------------------------------------------------- batch 3: conventions of FORMAT.md in other words
L = "en_US"
case(L, NY, "2026-05-05 10:00", "Any day next week except Thursday works.",
     lambda c: [S(week(c, "next"), "+"), D(weekday_in(week(c, "next"), "Thu"), "-")])
case(L, CHI, "2026-09-16 10:00", "I'll have the write-up to you by EOW.",
     lambda c: [B(mid(m.eow(c) + ONE), "0")])
case(L, NY, "2026-02-18 10:00", "How about a week from Monday at 10?",
     lambda c: [P(at(wd(c, "Mon") + 7 * ONE, 10), "+")])
case(L, LA, "2026-10-07 10:00", "I'm out Thursday; the following week is wide open.",
     lambda c: [D(wd(c, "Thu"), "-"), S(following(week_of(c, wd(c, "Thu"))), "+")])
case(L, NY, "2026-06-08 10:00", "Last week was hectic, but this Thursday at 2 works.",
     lambda c: [past(S(week(c, "last"), "0")), P(at(day(c, "this", "Thu"), bare(2)), "+")])
case(L, NY, "2026-03-11 16:00", "This morning's call was great; can we follow up Friday at 9:30?",
     lambda c: [past(PD(c.today, "morning", "0")), P(at(wd(c, "Fri"), 9, 30), "+")])
case(L, DEN, "2026-08-17 10:00", "From Monday to Wednesday next week I'm at a conference.",
     lambda c: [DR(weekday_in(week(c, "next"), "Mon"), weekday_in(week(c, "next"), "Wed"), "-")])
case(L, NY, "2026-07-14 10:00", "Could we meet at noon or 12:30 tomorrow?",
     lambda c: [P(at(rel(c, 1), 12), "+"), P(at(rel(c, 1), 12, 30), "+")])
case(L, NY, "2026-01-05 10:00", "Let's talk at 3 today.",
     lambda c: [P(at(c.today, 15), "+")])
case(L, CHI, "2026-04-02 17:30", "Can you do 9 tomorrow morning?",
     lambda c: [P(at(rel(c, 1), 9), "+")])
case(L, NY, "2026-11-20 10:00", "I'm free until 4 on Monday.",
     lambda c: [B(at(wd(c, "Mon"), bare(4)), "+")])
case(L, NY, "2026-10-13 10:00", "Would 12/1 at 11 work?",
     lambda c: [P(at(date(c, 12, 1), 11), "+")])
case(L, LA, "2026-12-30 10:00", "Let's kick off on 1/6/2027 at 10am.",
     lambda c: [P(at(date(c, 1, 6, 2027), 10), "+")])
case(L, NY, "2026-09-21 10:00", "Wednesday, September 23 at 4 works great.",
     lambda c: [P(at(on(date(c, 9, 23), "Wed"), bare(4)), "+")])
case(L, NY, "2026-06-02 10:00", "What about Thursday, June 5 at 1?",
     lambda c: [alt(P(at(date(c, 6, 5), bare(1)), "+"), P(at(near(date(c, 6, 5), "Thu"), bare(1)), "+"))])
case(L, CHI, "2026-03-23 10:00", "In January I'm swamped; February is better.",
     lambda c: [S(month(c, 1), "-"), S(month(c, 2), "+")])

L = "en_GB"
case(L, LON, "2026-05-05 10:00", "Any day next week apart from Wednesday is fine.",
     lambda c: [S(week(c, "next"), "+"), D(weekday_in(week(c, "next"), "Wed"), "-")])
case(L, LON, "2026-09-16 10:00", "Could we aim for the end of the week?",
     lambda c: [D(m.eow(c), "+")])
case(L, LON, "2026-02-18 10:00", "I'm away Monday to Wednesday; Thursday at half 11 would work.",
     lambda c: [DR(wd(c, "Mon"), wd(c, "Wed"), "-"), P(at(wd(c, "Thu"), 11, 30), "+")])
case(L, LON, "2026-10-07 10:00", "Could we do 3 o'clock on Friday?",
     lambda c: [P(at(wd(c, "Fri"), bare(3)), "+")])
case(L, LON, "2026-12-14 10:00", "We're closed 24/12 to 02/01, so let's say 05/01 at 10.",
     lambda c: [DR(date(c, 12, 24), date(c, 1, 2), "-"), P(at(date(c, 1, 5), 10), "+")])

L = "de_DE"
case(L, BER, "2026-03-02 10:00", "In KW 12 hätte ich Zeit.",
     lambda c: [S((m.dt.date.fromisocalendar(2026, 12, 1), m.dt.date.fromisocalendar(2026, 12, 1) + 7 * ONE), "+")])
case(L, BER, "2026-05-05 10:00", "Nächste Woche geht jeder Tag außer Donnerstag.",
     lambda c: [S(week(c, "next"), "+"), D(weekday_in(week(c, "next"), "Thu"), "-")])
case(L, BER, "2026-06-08 10:00", "Letzte Woche war stressig, aber diesen Donnerstag um 14 Uhr passt es.",
     lambda c: [past(S(week(c, "last"), "0")), P(at(day(c, "this", "Thu"), 14), "+")])
case(L, BER, "2026-10-13 10:00", "Wäre der 1.12. um 11 Uhr möglich?",
     lambda c: [P(at(date(c, 12, 1), 11), "+")])
case(L, BER, "2026-01-05 10:00", "Heute um 15 Uhr?",
     lambda c: [P(at(c.today, 15), "+")])
case(L, BER, "2026-11-20 10:00", "Am Montag bin ich bis 12 Uhr frei.",
     lambda c: [B(at(wd(c, "Mon"), 12), "+")])
case(L, BER, "2026-03-23 10:00", "Im Januar habe ich viel zu tun, im Februar passt es besser.",
     lambda c: [S(month(c, 1), "-"), S(month(c, 2), "+")])

L = "fr_FR"
case(L, PAR, "2026-03-02 10:00", "On se reparle dans quinze jours ?",
     lambda c: [alt(D(rel(c, 14), "+"), D(rel(c, 15), "+"))])
case(L, PAR, "2026-05-05 10:00", "La semaine prochaine, tout me va sauf jeudi.",
     lambda c: [S(week(c, "next"), "+"), D(weekday_in(week(c, "next"), "Thu"), "-")])
case(L, PAR, "2026-10-13 10:00", "Le 01/12 à 11h, c'est possible ?",
     lambda c: [P(at(date(c, 12, 1), 11), "+")])
case(L, PAR, "2026-01-05 10:00", "Aujourd'hui à 15h ?",
     lambda c: [P(at(c.today, 15), "+")])
case(L, PAR, "2026-11-20 10:00", "Lundi, je suis libre jusqu'à midi.",
     lambda c: [B(at(wd(c, "Mon"), 12), "+")])
case(L, PAR, "2026-09-16 10:00", "En fin de semaine, ce serait parfait.",
     lambda c: [D(m.eow(c), "+")])

L = "es_ES"
case(L, MAD, "2026-05-05 10:00", "La semana que viene me va cualquier día menos el jueves.",
     lambda c: [S(week(c, "next"), "+"), D(weekday_in(week(c, "next"), "Thu"), "-")])
case(L, MAD, "2026-10-13 10:00", "¿El 01/12 a las 11 es posible?",
     lambda c: [P(at(date(c, 12, 1), 11), "+")])
case(L, MAD, "2026-01-05 10:00", "Hoy a las 15:00, ¿te viene bien?",
     lambda c: [P(at(c.today, 15), "+")])
case(L, MAD, "2026-11-20 10:00", "El lunes estoy libre hasta las 12.",
     lambda c: [B(at(wd(c, "Mon"), 12), "+")])
case(L, MAD, "2026-03-23 10:00", "En enero estoy muy liado; en febrero mejor.",
     lambda c: [S(month(c, 1), "-"), S(month(c, 2), "+")])
case(L, MAD, "2026-03-02 10:00", "¿Lo vemos dentro de quince días?",
     lambda c: [alt(D(rel(c, 14), "+"), D(rel(c, 15), "+"))])


# ---------------------------------------------------------------- batch 4: more phrasings of the same abilities
L = "en_US"
case(L, NY, "2026-04-13 10:00", "Unfortunately Wednesday won't work, but I could do Thursday at 2:30.",
     lambda c: [D(wd(c, "Wed"), "-"), P(at(wd(c, "Thu"), bare(2), 30), "+")])
case(L, CHI, "2026-09-02 10:00", "Would sometime next Tuesday afternoon be possible?",
     lambda c: [nx(c, "Tue", lambda d: PD(d, "afternoon", "+"))])
case(L, NY, "2026-01-27 10:00", "Let's find a slot between 1 and 3 on Feb 3.",
     lambda c: [I(at(date(c, 2, 3), bare(1)), at(date(c, 2, 3), bare(3)), "+")])
case(L, LA, "2026-05-26 10:00", "How does 4:45 tomorrow sound?",
     lambda c: [P(at(rel(c, 1), bare(4), 45), "+")])
case(L, NY, "2026-10-28 10:00", "I'm on PTO Friday, so Monday or Tuesday is better.",
     lambda c: [D(wd(c, "Fri"), "-"), D(wd(c, "Mon"), "+"), D(wd(c, "Tue"), "+")])
case(L, DEN, "2026-02-16 10:00", "Can we do 9:30 MT Thursday?",
     lambda c: [P(in_zone(c, wd(c, "Thu"), 9, 30, "MT"), "+")])
case(L, NY, "2026-06-29 10:00", "The 4th is a holiday, so let's meet on the 6th at 10.",
     lambda c: [D(nth(c, 4), "-"), P(at(nth(c, 6), 10), "+")])
case(L, CHI, "2026-11-16 10:00", "I'm slammed until Wednesday; Thursday morning is wide open.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-"), PD(wd(c, "Thu"), "morning", "+")])
case(L, NY, "2026-03-30 10:00", "Any chance you're free at noon on Friday?",
     lambda c: [P(at(wd(c, "Fri"), 12), "+")])
case(L, LA, "2026-08-04 10:00", "We could also meet in two days, if that's easier.",
     lambda c: [D(rel(c, 2), "+")])

L = "en_GB"
case(L, LON, "2026-04-13 10:00", "Wednesday's tricky for me; could we try Friday at 10.30?",
     lambda c: [D(wd(c, "Wed"), "-"), P(at(wd(c, "Fri"), 10, 30), "+")])
case(L, LON, "2026-09-02 10:00", "Would 14:30 on 8/9 suit you?",
     lambda c: [P(at(date(c, 9, 8), 14, 30), "+")])
case(L, LON, "2026-11-16 10:00", "I'm out of the office until Wednesday.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-")])
case(L, LON, "2026-05-26 10:00", "Fancy a catch-up over lunch on Thursday?",
     lambda c: [PD(wd(c, "Thu"), "lunch", "+")])
case(L, LON, "2026-02-16 10:00", "Could we speak on Monday 23 February at half 9?",
     lambda c: [P(at(on(date(c, 2, 23), "Mon"), 9, 30), "+")])

L = "de_DE"
case(L, BER, "2026-04-13 10:00", "Mittwoch passt mir leider nicht, Donnerstag um 14:30 Uhr ginge.",
     lambda c: [D(wd(c, "Wed"), "-"), P(at(wd(c, "Thu"), 14, 30), "+")])
case(L, BER, "2026-09-02 10:00", "Hätten Sie am 8.9. um 10 Uhr Zeit?",
     lambda c: [P(at(date(c, 9, 8), 10), "+")])
case(L, BER, "2026-11-16 10:00", "Bis Mittwoch bin ich unterwegs.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-")])
case(L, BER, "2026-05-26 10:00", "Wie wäre es mit einem Mittagessen am Donnerstag?",
     lambda c: [PD(wd(c, "Thu"), "lunch", "+")])
case(L, BER, "2026-02-16 10:00", "Nächsten Montag zwischen 9 und 11 Uhr?",
     lambda c: [nx(c, "Mon", lambda d: I(at(d, 9), at(d, 11), "+"))])

L = "fr_FR"
case(L, PAR, "2026-04-13 10:00", "Mercredi ne me convient pas, mais jeudi à 14h30, oui.",
     lambda c: [D(wd(c, "Wed"), "-"), P(at(wd(c, "Thu"), 14, 30), "+")])
case(L, PAR, "2026-09-02 10:00", "Seriez-vous libre le 8 septembre à 10h ?",
     lambda c: [P(at(date(c, 9, 8), 10), "+")])
case(L, PAR, "2026-11-16 10:00", "Je suis en déplacement jusqu'à mercredi.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-")])
case(L, PAR, "2026-05-26 10:00", "Un déjeuner jeudi, ça vous dirait ?",
     lambda c: [PD(wd(c, "Thu"), "lunch", "+")])
case(L, PAR, "2026-02-16 10:00", "Lundi prochain entre 9h et 11h ?",
     lambda c: [nx(c, "Mon", lambda d: I(at(d, 9), at(d, 11), "+"))])

L = "es_ES"
case(L, MAD, "2026-04-13 10:00", "El miércoles no me viene bien, pero el jueves a las 14:30 sí.",
     lambda c: [D(wd(c, "Wed"), "-"), P(at(wd(c, "Thu"), 14, 30), "+")])
case(L, MAD, "2026-09-02 10:00", "¿Tendrías un hueco el 8 de septiembre a las 10?",
     lambda c: [P(at(date(c, 9, 8), 10), "+")])
case(L, MAD, "2026-11-16 10:00", "Hasta el miércoles estoy de viaje.",
     lambda c: [B(mid(wd(c, "Wed") + ONE), "-")])
case(L, MAD, "2026-05-26 10:00", "¿Comemos juntos el jueves?",
     lambda c: [PD(wd(c, "Thu"), "lunch", "+")])
case(L, MAD, "2026-02-16 10:00", "¿El lunes que viene entre las 9 y las 11?",
     lambda c: [nx(c, "Mon", lambda d: I(at(d, 9), at(d, 11), "+"))])


# ---------------------------------------------------------------- batch 5: shapes and week rules in other words
L = "en_US"
case(L, NY, "2026-05-12 10:00", "Later this week works best for me.",
     lambda c: [S(rest_of_week(c), "+")])
case(L, CHI, "2026-10-06 09:00", "I'm free any time after lunch today.",
     lambda c: [A(at(c.today, 13), "+")])
case(L, NY, "2026-02-23 10:00", "Could we wrap up before lunch on Wednesday?",
     lambda c: [B(at(wd(c, "Wed"), 12), "+")])
case(L, LA, "2026-07-20 10:00", "From Thursday on I'm wide open.",
     lambda c: [A(mid(wd(c, "Thu")), "+")])
case(L, NY, "2026-12-10 10:00", "Let's plan for 1/11 or later.",
     lambda c: [A(mid(date(c, 1, 11)), "+")])
case(L, NY, "2026-09-29 10:00", "I need your answer by Friday at noon.",
     lambda c: [B(at(wd(c, "Fri"), 12), "0")])
case(L, DEN, "2026-03-16 10:00", "Can we do Tuesday, March 18 at 11?",
     lambda c: [alt(P(at(date(c, 3, 18), 11), "+"), P(at(near(date(c, 3, 18), "Tue"), 11), "+"))])
case(L, NY, "2026-11-22 10:00", "Next week is open for me.",
     lambda c: [alt(S(week(c, "next"), "+"), S(week(c, "this"), "+"))] if c.today.weekday() == 6 else [])
case(L, NY, "2026-04-14 10:00", "I'm out Wednesday; the week after works though.",
     lambda c: [D(wd(c, "Wed"), "-"), S(following(week_of(c, wd(c, "Wed"))), "+")])

L = "en_GB"
case(L, LON, "2026-05-12 10:00", "Any time later this week would suit.",
     lambda c: [S(rest_of_week(c), "+")])
case(L, LON, "2026-02-23 10:00", "Shall we meet after lunch on Thursday?",
     lambda c: [A(at(wd(c, "Thu"), 13), "+")])
case(L, LON, "2026-07-20 10:00", "From Wednesday onwards I'm free.",
     lambda c: [A(mid(wd(c, "Wed")), "+")])

L = "de_DE"
case(L, BER, "2026-05-12 10:00", "Im Laufe dieser Woche hätte ich Zeit.",
     lambda c: [S(rest_of_week(c), "+")])
case(L, BER, "2026-07-20 10:00", "Ab Donnerstag bin ich flexibel.",
     lambda c: [A(mid(wd(c, "Thu")), "+")])
case(L, BER, "2026-09-29 10:00", "Bitte geben Sie mir bis Freitag Bescheid.",
     lambda c: [B(mid(wd(c, "Fri") + ONE), "0")])

L = "fr_FR"
case(L, PAR, "2026-07-20 10:00", "À partir de jeudi, je suis disponible.",
     lambda c: [A(mid(wd(c, "Thu")), "+")])
case(L, PAR, "2026-09-29 10:00", "Merci de me répondre avant vendredi.",
     lambda c: [B(mid(wd(c, "Fri")), "0")])

L = "es_ES"
case(L, MAD, "2026-07-20 10:00", "A partir del jueves estoy disponible.",
     lambda c: [A(mid(wd(c, "Thu")), "+")])
case(L, MAD, "2026-09-29 10:00", "Confírmame antes del viernes, por favor.",
     lambda c: [B(mid(wd(c, "Fri")), "0")])

# ---------------------------------------------------------------- batch 6: comparisons, whole messages, other words
L = "en_US"
case(L, NY, "2026-04-13 10:00", "Thursday at 11 is better for me than Friday.",
     lambda c: [P(at(wd(c, "Thu"), bare(11)), "+"), D(wd(c, "Fri"), "-")])
case(L, NY, "2026-09-08 10:00", "Hi Sam, sorry for the delay! Tuesday is out, but how about the 14th at 9:30? Best, Ana",
     lambda c: [D(wd(c, "Tue"), "-"), P(at(nth(c, 14), 9, 30), "+")])
case(L, CHI, "2026-02-02 09:00", "We need a room for 12 people on Monday at 3.",
     lambda c: [P(at(wd(c, "Mon"), bare(3)), "+")])

L = "en_GB"
case(L, LON, "2026-02-23 10:00", "Could we do 5/3 at 2pm instead of Thursday?",
     lambda c: [P(at(date(c, 3, 5), 14), "+"), D(wd(c, "Thu"), "-")])
case(L, LON, "2026-06-01 10:00", "Wednesday's no good, I'm afraid. Friday afternoon?",
     lambda c: [D(wd(c, "Wed"), "-"), PD(wd(c, "Fri"), "afternoon", "+")])

L = "de_DE"
case(L, BER, "2026-03-02 10:00", "Lieber Dienstag um 14 Uhr als Mittwoch.",
     lambda c: [P(at(wd(c, "Tue"), 14), "+"), D(wd(c, "Wed"), "-")])
case(L, BER, "2026-05-04 10:00",
     "Hallo Frau Meier, am Donnerstag bin ich leider verhindert. Ginge auch Freitag um 10 Uhr? Viele Grüße",
     lambda c: [D(wd(c, "Thu"), "-"), P(at(wd(c, "Fri"), 10), "+")])

L = "fr_FR"
case(L, PAR, "2026-03-02 10:00", "Je préférerais mardi matin plutôt que mercredi.",
     lambda c: [PD(wd(c, "Tue"), "morning", "+"), D(wd(c, "Wed"), "-")])
case(L, PAR, "2026-10-05 10:00", "Bonjour, jeudi 14h me conviendrait mieux que vendredi. Cordialement",
     lambda c: [P(at(wd(c, "Thu"), 14), "+"), D(wd(c, "Fri"), "-")])
case(L, PAR, "2026-01-05 10:00", "Désolé, je ne suis pas disponible le 12, mais le 13 à 15h ça marche.",
     lambda c: [D(nth(c, 12), "-"), P(at(nth(c, 13), 15), "+")])

L = "es_ES"
case(L, MAD, "2026-03-02 10:00", "Prefiero el lunes a las 10 antes que el martes.",
     lambda c: [P(at(wd(c, "Mon"), bare(10)), "+"), D(wd(c, "Tue"), "-")])
case(L, MAD, "2026-02-02 10:00", "El viernes me viene mejor que el jueves.",
     lambda c: [D(wd(c, "Fri"), "+"), D(wd(c, "Thu"), "-")])
case(L, MAD, "2026-02-02 10:00",
     "Hola Luis: el miércoles 11 a las 17:00 no puedo, ¿qué tal el jueves 12 a la misma hora?",
     lambda c: [P(at(on(date(c, 2, 11), "Wed"), 17), "-"), P(at(on(date(c, 2, 12), "Thu"), 17), "+")])

# ---------------------------------------------------------------- batch 7: zones across clock changes, codes beside times
L = "en_US"
case(L, LA, "2026-03-06 10:00", "Monday at 9am ET works for me.",
     lambda c: [P(in_zone(c, wd(c, "Mon"), 9, 0, "ET"), "+")])
case(L, NY, "2026-12-30 15:00", "Let's sync on the 2nd at 11.",
     lambda c: [P(at(nth(c, 2), bare(11)), "+")])
case(L, CHI, "2026-05-18 09:00", "Call me at 312-555-0187 after 4 on Wednesday.",
     lambda c: [A(at(wd(c, "Wed"), bare(4)), "+")])

L = "en_GB"
case(L, LON, "2026-10-22 10:00", "How about 3pm New York time on Monday?",
     lambda c: [P(in_zone(c, wd(c, "Mon"), 15, 0, "New York"), "+")])
case(L, LON, "2026-04-01 10:00", "I rated the venue 4/5. Shall we book it for the 14th?",
     lambda c: [D(nth(c, 14), "+")])

L = "de_DE"
case(L, BER, "2026-03-26 10:00", "Passt Ihnen Montag um 16:30 Uhr?",
     lambda c: [P(at(wd(c, "Mon"), 16, 30), "+")])
case(L, BER, "2026-06-15 10:00", "Version 2.3 ist fertig; können wir sie am 24. besprechen?",
     lambda c: [D(nth(c, 24), "+")])

L = "fr_FR"
case(L, PAR, "2026-12-14 10:00", "Je suis en congés du 24 au 31 décembre. On peut se voir le 5 janvier ?",
     lambda c: [DR(date(c, 12, 24), date(c, 12, 31), "-"), D(date(c, 1, 5), "+")])
case(L, PAR, "2026-04-08 10:00", "Mardi prochain entre 14h et 16h, ça vous irait ?",
     lambda c: [nx(c, "Tue", lambda d: I(at(d, 14), at(d, 16), "+"))])

L = "es_ES"
case(L, MAD, "2026-10-23 10:00", "¿Te viene bien el lunes a las 9:30 hora peninsular?",
     lambda c: [P(in_zone(c, wd(c, "Mon"), 9, 30, "peninsular"), "+")])
case(L, MAD, "2026-02-25 10:00", "El sábado 28 no puedo; el domingo 1 de marzo sí.",
     lambda c: [D(on(date(c, 2, 28), "Sat"), "-"), D(on(date(c, 3, 1), "Sun"), "+")])
case(L, MAD, "2026-07-01 10:00", "Tengo la sala 305 reservada para el jueves de 10 a 12.",
     lambda c: [I(at(wd(c, "Thu"), 10), at(wd(c, "Thu"), 12), "+")])

# ---------------------------------------------------------------- batch 8: month ends, relative days, refusals after the time
L = "en_US"
case(L, NY, "2026-05-29 16:00", "Monday the 1st at 10:30 works, but not Tuesday.",
     lambda c: [P(at(on(nth(c, 1), "Mon"), 10, 30), "+"), D(wd(c, "Tue"), "-")])
case(L, DEN, "2026-08-31 09:00", "Thursday is completely booked for me.",
     lambda c: [D(wd(c, "Thu"), "-")])

L = "en_GB"
case(L, LON, "2026-12-31 11:00", "Happy New Year! Could we meet on the 7th at half past two?",
     lambda c: [P(at(nth(c, 7), pm(2), 30), "+")])

L = "de_DE"
case(L, BER, "2026-03-27 10:00", "Übermorgen geht nicht, aber am Montag ab 9 Uhr bin ich frei.",
     lambda c: [D(rel(c, 2), "-"), A(at(wd(c, "Mon"), 9), "+")])
case(L, BER, "2026-11-02 10:00", "Morgen um halb drei wäre gut.",
     lambda c: [P(at(rel(c, 1), bare(2), 30), "+")])

L = "fr_FR"
case(L, PAR, "2026-05-29 10:00", "Lundi 1er juin à 9h, ça vous va ? Mardi je ne peux pas.",
     lambda c: [P(at(on(date(c, 6, 1), "Mon"), 9), "+"), D(wd(c, "Tue"), "-")])
case(L, PAR, "2026-11-02 10:00", "Après-demain en fin de matinée, c'est possible ?",
     lambda c: [PD(rel(c, 2), "morning", "+")])

L = "es_ES"
case(L, MAD, "2026-08-31 10:00", "Mañana por la mañana imposible; pasado mañana a las 12 perfecto.",
     lambda c: [PD(rel(c, 1), "morning", "-"), P(at(rel(c, 2), 12), "+")])
case(L, MAD, "2026-12-31 10:00", "¿Nos vemos el 2 de enero a las 18:00?",
     lambda c: [P(at(date(c, 1, 2), 18), "+")])


def main(argv):
    records, meta = m.build()
    for r in records:
        r["id"] = "p" + r["id"][1:]
    errors = m.check(records, meta)
    if "--show" in argv:
        m.show(records, meta)
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    if errors:
        return 1
    out = ROOT / "tests" / "data" / "time" / "probe.jsonl"
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: {len(records)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
