//! The German phrasebook. Hosts say „du“ to each other and „ihr“ to the listeners. The writer lowers the
//! first letter of a topic, a segment title and a statement after a lead, which German nouns do not survive:
//! so the topic stands in quotes after „Thema“ (any case, any phrase), titles follow a colon or stand in
//! quotes, the titles here begin with a word that may be lowered, every statement a lead can join begins
//! with one too, and a fact is never lowered.

use super::{Angle, Phrasebook};

pub(crate) const BOOK: Phrasebook = Phrasebook {
    and: " und ",
    lowercases_in_sentence: false,

    angles: [
        Angle {
            title: "Wo alles begann",
            questions: [
                "Wo fängt die Geschichte beim Thema „{t}“ an?",
                "Was hat beim Thema „{t}“ alles ins Rollen gebracht?",
            ],
            findings: [
                "Die Geschichte hinter dem Thema „{t}“ beginnt mit einem frühen, gut belegten Kapitel, das alles Weitere vorbereitet.",
                "Frühe Berichte zum Thema „{t}“ weichen im Detail voneinander ab, stimmen aber in groben Zügen darin überein, wie alles anfing.",
            ],
            talk: &[
                "Jeder Anfang ist chaotischer, als die aufgeräumte Fassung vermuten lässt.",
                "Es hilft, sich die Welt vorzustellen, bevor es das alles gab.",
                "Am Anfang wusste niemand, wie die Geschichte ausgehen würde.",
            ],
        },
        Angle {
            title: "Wie es funktioniert",
            questions: [
                "Welche Bausteine stecken hinter dem Thema „{t}“?",
                "Welcher Mechanismus steckt im Kern des Themas „{t}“?",
            ],
            findings: [
                "Im Kern beruht das Thema „{t}“ auf ein paar einfachen Mechanismen, die sich mit der Zeit summieren.",
                "Die meisten praktischen Details beim Thema „{t}“ laufen auf Abwägungen zwischen Kosten, Zuverlässigkeit und Umfang hinaus.",
            ],
            talk: &[
                "Wer den Mechanismus einmal durchschaut hat, versteht plötzlich einen Großteil der Geschichte.",
                "Jedes Teil des Systems ist da, weil ohne es irgendwann etwas schiefgegangen ist.",
                "Das Raffinierte daran ist, wie einfach die Grundidee am Ende ist.",
            ],
        },
        Angle {
            title: "Wer dahintersteckt",
            questions: [
                "Wer sind die Menschen im Mittelpunkt des Themas „{t}“?",
                "Wessen Arbeit hat die Geschichte hinter dem Thema „{t}“ erst möglich gemacht?",
            ],
            findings: [
                "Eine kleine Gruppe von Praktikern hat die Geschichte rund um das Thema „{t}“ stärker geprägt als jede einzelne Institution.",
                "Ein Großteil der alltäglichen Arbeit beim Thema „{t}“ wurde von Menschen geleistet, deren Namen kaum jemand festgehalten hat.",
            ],
            talk: &[
                "Hinter jedem dieser Schritte standen Menschen, die schwierige Entscheidungen treffen mussten.",
                "Ihr Alltag klingt auf dem Papier langweilig, und das war er ganz und gar nicht.",
                "Es zeigt, dass Können oft in Gewohnheiten steckt und nicht in Schlagzeilen.",
            ],
        },
        Angle {
            title: "Was viele falsch verstehen",
            questions: [
                "Was verstehen die meisten beim Thema „{t}“ falsch?",
                "Welche verbreiteten Geschichten zum Thema „{t}“ halten einer Prüfung nicht stand?",
            ],
            findings: [
                "Die populäre Erzählung zum Thema „{t}“ überspringt die langsamen, schrittweisen Entwicklungen, auf die es am meisten ankam.",
                "Mehrere oft wiederholte Behauptungen zum Thema „{t}“ gehen auf eine einzige, dünn belegte Quelle zurück.",
            ],
            talk: &[
                "Viele Mythen halten sich, weil sie eine bessere Geschichte erzählen als die Quellen.",
                "Die korrigierte Fassung ist weniger dramatisch und viel spannender.",
                "Eine gute Regel: Fragt immer, wer die Geschichte zuerst erzählt hat, und warum.",
            ],
        },
        Angle {
            title: "Warum es heute zählt",
            questions: [
                "Warum ist das Thema „{t}“ heute noch wichtig?",
                "Was kann uns das Thema „{t}“ heute noch lehren?",
            ],
            findings: [
                "Die Lehren aus dem Thema „{t}“ lassen sich auf Probleme übertragen, vor denen Menschen heute stehen.",
                "Das Interesse am Thema „{t}“ ist gewachsen, weil neue Belege und neue Werkzeuge die Forschung erleichtert haben.",
            ],
            talk: &[
                "Die gleichen Abwägungen tauchen bei Problemen auf, an denen wir bis heute arbeiten.",
                "So ein Blick zurück ist eigentlich ein Blick nach vorn.",
                "Es verändert, wie man die Systeme wahrnimmt, auf die man sich jeden Tag verlässt.",
            ],
        },
        Angle {
            title: "Was wir noch nicht wissen",
            questions: [
                "Was ist beim Thema „{t}“ noch ungewiss?",
                "Worüber sind sich die Fachleute beim Thema „{t}“ noch uneinig?",
            ],
            findings: [
                "Forschende streiten noch über den entscheidenden Wendepunkt in der Geschichte rund um das Thema „{t}“.",
                "Die Überlieferung zum Thema „{t}“ ist lückenhaft, deshalb beruht ein Teil der Geschichte auf sorgfältigen Schätzungen.",
            ],
            talk: &[
                "Es ist völlig in Ordnung zu sagen: Das wissen wir noch nicht genau.",
                "Offene Fragen sind der Stoff, aus dem die nächste gute Folge entsteht.",
                "Unsicherheit gehört zur Geschichte dazu, sie ist kein Fehler darin.",
            ],
        },
    ],
    placeholder_publishers: [
        "Probenarchiv (Offline-Platzhalter)",
        "Probenbibliothek (Offline-Platzhalter)",
    ],
    placeholder_source: "Platzhalterquelle {letter} zu „{angle}“ ({question}, Befund {finding})",
    generic_findings: [
        "Die gängigen Darstellungen zum Thema „{t}“ geben eine übereinstimmende erste Antwort auf die Frage „{q}“.",
        "Ein zweiter, unabhängiger Strang von Belegen zur Frage „{q}“ stimmt mit dem ersten im Großen und Ganzen überein.",
    ],
    next_question: "Was würden Hörerinnen und Hörer zum Thema „{t}“ als Nächstes am liebsten fragen?",
    hold_up_question: "Welche dieser Platzhalter-Fakten zum Thema „{t}“ halten einem Abgleich mit echten Quellen stand?",
    sourced_uncertainty: "Der Probenschreiber hat diese Sätze offline aus euren Quellen ausgewählt, anhand der Wörter, die sie mit der jeweiligen Frage gemeinsam haben; kein Modell hat sie gelesen oder geprüft.",
    placeholder_uncertainties: [
        "Jeder Fakt hier wurde vom Probenschreiber offline aus Vorlagen geschrieben; keiner wurde mit einer Quelle abgeglichen.",
        "Die Quellen sind Offline-Platzhalter (offline:rehearsal/…) und stehen nur stellvertretend für echte Belege.",
    ],

    welcome: "Willkommen",
    wrap_up: "Zum Schluss",
    part: "{n}. Teil",
    short_version: "Das Wichtigste in Kürze",
    the_story: "Die Geschichte",
    case_for: "Die Argumente dafür",
    case_against: "Die Argumente dagegen",
    cross_examination: "Im Kreuzverhör: {title}",
    closing_statements: "Die Schlussworte",
    takeaway: "Das Fazit",
    citing: ", mit Verweis auf {facts}",
    goal_welcome_solo: "Mit dem Eröffnungssatz der Sendung beginnen; {host} stellt das Thema „{t}“ allein vor und gibt einen Überblick: {titles}.",
    goal_welcome_interview: "Mit dem Eröffnungssatz der Sendung beginnen; {host} stellt den Gast, {guest}, und das Thema „{t}“ vor.",
    goal_welcome_debate: "Mit dem Eröffnungssatz der Sendung beginnen und die Frage „{t}“ stellen: {host} argumentiert dafür, {guest} dagegen.",
    goal_welcome_brief: "Mit dem Eröffnungssatz der Sendung beginnen und in einem Atemzug sagen, worum es beim Thema „{t}“ geht.",
    goal_welcome_deep_dive: "Mit dem Eröffnungssatz der Sendung beginnen, das Moderationsteam ({hosts}) und das Thema „{t}“ vorstellen und einen Überblick geben: {titles}.",
    goal_interview: "{host} fragt nach „{title}“ zum Thema „{t}“; {guest} antwortet{cites}.",
    goal_case_for: "{host} trägt die Argumente dafür vor{cites}.",
    goal_case_against: "{guest} trägt die Argumente dagegen vor{cites}.",
    goal_cross_examination: "{host} und {guest} streiten über „{title}“{cites}.",
    goal_brief: "Die wichtigsten Fakten zum Thema „{t}“{cites}.",
    goal_conversation: "„{title}“ zum Thema „{t}“ im Gespräch behandeln.",
    goal_cover: "„{title}“ zum Thema „{t}“ behandeln{cites}.",
    goal_closing_statements: "{host} und {guest} sprechen jeweils ein letztes Wort; danach folgt der Schlusssatz der Sendung.",
    goal_interview_close: "{host} dankt {guest}, fasst die wichtigsten Fakten zusammen und schließt mit dem Schlusssatz der Sendung.",
    goal_takeaway: "Die eine Kernaussage nennen und mit dem Schlusssatz der Sendung schließen.",
    goal_recap: "Die wichtigsten Fakten zusammenfassen und mit dem Schlusssatz der Sendung schließen.",

    body_talk: &[
        &["Hier lohnt es sich, kurz innezuhalten, denn hier passiert eigentlich der größte Teil der Geschichte."],
        &[
            "Aber woher wissen wir das eigentlich?",
            "Vor allem aus Aufzeichnungen von damals, und von Leuten, die sie später sorgfältig ausgewertet haben.",
        ],
        &["Mich beeindruckt, wie viel beim Thema „{t}“ von ganz normaler, unspektakulärer Arbeit abhängt."],
        &["Es gibt eine einfache Version dieser Geschichte, und dann gibt es die Version, die einer Prüfung standhält."],
        &[
            "Hättest du das am Anfang so erwartet, {other}?",
            "Nicht ganz. Ich dachte, das alles sei viel schneller gegangen.",
        ],
        &["Das ist das Muster, das wir immer wieder sehen: kleine Veränderungen, die sich über Jahre summieren."],
        &["Man vergisst leicht, dass nichts davon zwangsläufig so kommen musste."],
        &[
            "Hat man darüber damals eigentlich gestritten?",
            "Ständig, und manche dieser Streitfragen sind bis heute nicht entschieden.",
        ],
        &[
            "Warum fällt dieser Teil in der üblichen Erzählung eigentlich unter den Tisch?",
            "Wahrscheinlich, weil er weniger dramatisch ist. Aber genau er erklärt den Rest.",
        ],
        &["Man muss sich nur mal vorstellen, wie es damals gewesen sein muss, dabei zu sein."],
        &["Das ist ein Detail, das wir vor der Ausstrahlung mit einer echten Quelle abgleichen sollten."],
        &["Für {audience} ist vor allem spannend, wie die einzelnen Teile zusammenpassen."],
        &[
            "Wo würdest du anfangen, wenn du mehr darüber erfahren willst?",
            "Bei den Quellen in der Folgenbeschreibung, und dann bei den Verweisen, die sie nennen.",
        ],
        &["Ich muss immer wieder an die Menschen denken, die das Tag für Tag gemacht haben."],
        &["Es zeigt auch, wie eine einzige Entscheidung alles prägen kann, was danach kommt."],
        &["Wir sollten vorsichtig sein und nicht mehr behaupten, als die Belege hergeben."],
        &[
            "Was würdest du jemandem sagen, der meint, das sei alles längst vergangen?",
            "Dass uns dieselben Fragen bis heute begleiten, nur in anderer Form.",
        ],
        &["Genau solche Details verändern den Blick auf die ganze Geschichte."],
        &["An dieser Stelle wird das Thema „{t}“ richtig spannend."],
        &[
            "Was hat dich daran am meisten überrascht, {other}?",
            "Wie lange es gedauert hat, und wie viele Menschen es dafür gebraucht hat.",
        ],
        &["Da steckt viel Feinheit drin, und wir kratzen heute nur an der Oberfläche."],
        &["Je genauer man hinschaut, desto mehr zählen die kleinen Entscheidungen."],
        &[
            "Ist das denn schon das ganze Bild?",
            "Nein, und die Komplikationen lohnen auch einen Blick.",
        ],
        &["Vieles davon wirkt erst im Rückblick selbstverständlich."],
        &["Das ist ein gutes Beispiel dafür, wie die Praxis der Theorie vorauseilt."],
        &[
            "Was würdest du vor der Ausstrahlung als Erstes prüfen?",
            "Die Daten, und wer was zuerst gesagt hat.",
        ],
        &["Das sollten wir im Hinterkopf behalten, denn es ist für alles Weitere heute wichtig."],
        &["Wer noch nie über das Thema „{t}“ nachgedacht hat: Das hier ist der Moment, in dem es Klick macht."],
        &["Bei „{title}“ zählen die Details mehr als die Schlagzeile."],
        &["Es ist eine Erinnerung daran, dass gute Aufzeichnungen ein Geschenk an alle sind, die später kommen."],
        &[
            "Das ist doch der Kern, wenn es um „{title}“ geht, oder?",
            "Genau, und den übersieht man leicht, wenn man nur die Schlagzeile kennt.",
        ],
        &["Das Spannende steckt immer in den Details, die niemand aufgeschrieben hat."],
        &["Was wie ein einzelnes Ereignis aussieht, sind meistens Dutzende kleinere."],
        &[
            "Glaubst du, die Leute damals haben das auch so gesehen?",
            "Manche schon. Aber die meisten wollten einfach das Problem lösen, das vor ihnen lag.",
        ],
        &["Dass ausgerechnet „{title}“ für mich der spannendste Teil wird, hätte ich nicht gedacht."],
        &["Jede Antwort hier scheint eine neue Frage aufzuwerfen."],
        &[
            "Wie würdest du „{title}“ in einem Satz zusammenfassen, {other}?",
            "Kleine, geduldige Schritte von Menschen, die wussten, was auf dem Spiel stand.",
        ],
        &["So etwas sollte ein echter Faktencheck unbedingt bestätigen."],
        &["Von allem, was zu „{title}“ gehört, sollten sich unsere Hörerinnen und Hörer vor allem das merken."],
        &[
            "Was sollte jemand mitnehmen, der zum ersten Mal zuhört?",
            "Dass die Geschichte größer und menschlicher ist als die Version aus den Schlagzeilen.",
        ],
        &["Das erinnert uns daran, immer zu fragen, woher eine Geschichte stammt."],
        &["Zu „{title}“ gäbe es mehr zu sagen, als in eine Folge passt."],
        &[
            "Wo passt „{title}“ ins große Ganze, {other}?",
            "Es ist ein Baustein, aber einer, auf den sich die anderen stützen.",
        ],
        &["Hier ist der Kontext alles."],
        &["Dabei sind wir noch gar nicht bei der praktischen Seite angekommen."],
    ],
    leads: &[
        "",
        "Und ",
        "",
        "Weißt du, ",
        "",
        "Ehrlich gesagt, ",
        "",
        "Klar, und ",
        "",
        "Also, ",
        "",
        "Schau mal, ",
    ],
    intro_talk: &[
        &["Unser Thema heute, „{t}“, wirkt auf den ersten Blick einfach, bis man genauer hinschaut."],
        &[
            "{other}, warum wolltest du unbedingt diese Folge machen?",
            "Ich bin immer wieder darüber gestolpert und habe gemerkt, dass ich es nicht richtig erklären kann.",
        ],
        &["Wir gehen Schritt für Schritt vor und sagen dazu, wo wir uns nicht sicher sind."],
        &["Jeder Teil der heutigen Folge baut auf dem vorherigen auf."],
        &["Am Ende solltet ihr das Thema „{t}“ einer Freundin oder einem Freund erklären können."],
        &["Falls ihr neu dabei seid: Willkommen! Wir nehmen uns eine große Frage vor und verfolgen sie bis zum Ende."],
    ],
    closers: &[
        "Bis zum nächsten Mal, und bleibt neugierig.",
        "Danke für all die guten Fragen heute, {other}.",
        "Zur Erinnerung: Das war ein Probenskript. Jeder Fakt darin ist ein Platzhalter, bis echte Recherche ihn ersetzt.",
        "Schickt uns eure Fragen zum Thema „{t}“, vielleicht greifen wir sie in einer späteren Folge auf.",
        "Wenn euch eine Idee im Kopf bleibt, dann diese: wie viel davon auf Menschen und Geduld ankam.",
    ],
    previews: &[
        "Wir fangen an mit dem ersten Punkt: {title}.",
        "Von da aus geht es weiter zum nächsten: {title}.",
        "Danach schauen wir uns an: {title}.",
        "Dann wenden wir uns dem nächsten Punkt zu: {title}.",
        "Außerdem geht es um diesen Punkt: {title}.",
        "Und zum Schluss: {title}.",
    ],
    top_ups: &[
        "Genau.",
        "Stimmt.",
        "Gut gesagt.",
        "Das finde ich fair.",
        "Das ist der Kern der Sache.",
        "Und das sollte man sich merken.",
        "So kann man es wirklich gut sagen.",
        "Das ist eine Geschichte, auf die man gern zurückkommt.",
        "Und heute haben wir natürlich nur einen Teil davon geschafft.",
        "Das Ganze ist spannender, als es zuerst klingt, und genau darum geht es.",
    ],
    replies: 4,
    rehearsal_notice: "Kurzer Hinweis: Das ist ein Probenskript, offline aus Vorlagen geschrieben. Jeder Fakt darin ist also ein Platzhalter, den man prüfen muss.",
    sourced_notice: "Kurzer Hinweis: Das ist ein Probenskript, offline und ohne Modell geschrieben. Seine Fakten sind Sätze aus euren eigenen Quellen.",
    short_notice: "Das ist ein Probenskript, offline aus Vorlagen geschrieben.",
    rewritten_notice: "Diese Fassung wurde nach einem Hinweis aus unserer Produktion überarbeitet.",
    plan_line: "Unser Plan für heute: {titles}. Und danach ziehen wir Bilanz.",
    first_topic: "Los geht's mit dem ersten Punkt: {title}.",
    transitions: &[
        "Als Nächstes: {title}.",
        "Weiter geht's mit dem nächsten Punkt: {title}.",
        "Das bringt uns zum nächsten Thema: {title}.",
        "Und jetzt: {title}.",
    ],
    fact_leads: &[
        "Das steht in unseren Notizen: {fact}",
        "Ein Befund sticht heraus: {fact}",
        "Laut unserer Recherche gilt: {fact}",
        "Die Quellen formulieren es so: {fact}",
        "Noch ein Punkt aus den Notizen: {fact}",
    ],
    follow_ups: &[
        "Was hat die Recherche noch ergeben?",
        "Und was ergänzen die Quellen dazu?",
        "Steckt da noch mehr dahinter?",
    ],
    fallback_follow_up: "Was noch?",
    why_it_matters: [
        "Warum ist das so wichtig?",
        "Weil so vieles, was danach kommt, davon abhängt.",
    ],
    fallback_opener: "Wo beginnt dieser Teil der Geschichte?",
    wrap_up_opener: "Das war unser Blick auf das Thema „{t}“.",
    fact_withheld: "Dazu gibt es einen Befund in unseren Notizen, {id}. Ihr könnt ihn in der Folgenbeschreibung vollständig nachlesen.",
    recap: "Zur Erinnerung, {title}: {fact}",
    greeting_guest: "Danke für die Einladung, {host}. Ich bin {me}, und ich beschäftige mich schon lange mit dem Thema „{t}“.",
    greeting_alone: "Ich bin {me}, und heute nehmen wir uns das Thema „{t}“ vor.",
    greeting_with: "Ich bin {me}, heute mit {others}, und wir nehmen uns das Thema „{t}“ vor.",
    sides_by_for: "Ich argumentiere dafür, {against} dagegen, und ihr entscheidet, wer zur Frage „{t}“ die besseren Argumente hat.",
    sides_by_against: "{for} argumentiert dafür und ich dagegen, und ihr entscheidet, wer zur Frage „{t}“ die besseren Argumente hat.",
    guest_thanks: "Schön, dass ich hier sein darf.",

    interview_openers: &[
        "Sprechen wir über diesen Punkt: {title}. Wo fängt dieser Teil der Geschichte an?",
        "Kannst du uns durch diesen Punkt führen: {title}?",
        "Was sollten unsere Hörerinnen und Hörer zuerst verstehen, wenn es um „{title}“ geht?",
        "Wie bist du zu deinem Blick auf „{title}“ gekommen?",
    ],
    interview_talk: &[
        &[
            "Was verstehen die meisten bei „{title}“ falsch?",
            "Sie denken, es war ein großer Moment. Dabei war es eine lange Reihe kleiner Momente.",
        ],
        &[
            "Wie bist du überhaupt zum Thema „{t}“ gekommen?",
            "Über ein seltsames Detail, das nicht zur üblichen Geschichte passte. Und daran habe ich immer weiter gezogen.",
        ],
        &[
            "Wer hat hier eigentlich die Arbeit gemacht?",
            "Meist ganz normale Leute, deren Namen es selten in die Akten geschafft haben.",
        ],
        &[
            "Gab es einen Wendepunkt?",
            "Ein paar, und keiner davon sah damals wie einer aus.",
        ],
        &[
            "Worüber wird bei „{title}“ noch gestritten?",
            "Vor allem über den zeitlichen Ablauf, und darüber, wem wie viel Anerkennung gebührt.",
        ],
        &[
            "Wenn du jemandem von damals eine Frage stellen könntest, welche wäre das?",
            "Was den Leuten damals die meisten Sorgen gemacht hat. Daran sieht man, was sie wussten.",
        ],
        &[
            "Wie verlässlich sind die Quellen dazu?",
            "Beim groben Umriss gut, bei den Details lückenhafter. Deshalb sagen wir es, wenn es darauf ankommt.",
        ],
        &[
            "Was hat sich dadurch verändert?",
            "Mehr, als man denkt: Gewohnheiten, Regeln und das, was die Leute für normal hielten.",
        ],
        &[
            "Gibt es ein Detail, das du beim Abendessen immer wieder erzählst?",
            "Wie viel davon an Geduld hing und nicht an Genialität.",
        ],
        &[
            "Was sollte sich jemand, der skeptisch ist, zuerst ansehen?",
            "Die Aufzeichnungen von damals, bevor irgendwer wusste, wie die Geschichte ausgeht.",
        ],
        &[
            "Wie hängt „{title}“ mit dem Rest der Geschichte zusammen?",
            "Das ist das Scharnier: Was vorher kam, ergibt erst in diesem Licht Sinn.",
        ],
        &[
            "Was hat dich überrascht, als du dich in „{title}“ vertieft hast?",
            "Wie praktisch das alles war. Die großen Erklärungen kamen erst später.",
        ],
    ],
    guest_answer: "Die Geschichte ist größer, als sie aussieht, und meistens geht es um Menschen, die geduldig ihre Arbeit machen.",
    case_openers: [
        "Hier ist mein Standpunkt zur Frage „{t}“, und ich sage ihn ganz direkt.",
        "Ich sehe die Frage „{t}“ ganz anders, und zwar aus gutem Grund.",
    ],
    case_leads: [
        &[
            "Mein erster Beleg: {fact}",
            "Und es gibt noch mehr, was für meine Seite spricht: {fact}",
            "Schaut euch die Überlieferung an: {fact}",
        ],
        &[
            "Bedenkt stattdessen Folgendes: {fact}",
            "Das lässt die Gegenseite weg: {fact}",
            "Und das spricht dagegen: {fact}",
        ],
    ],
    case_talk: &[
        "Das ist der Kern meines Arguments, und dazu stehe ich.",
        "Nichts davon ist so geklärt, wie es klingt.",
        "Wer die Belege fair abwägt, landet bei einem klaren Ergebnis.",
        "Hier ist meine Position am stärksten.",
        "Behaltet das bitte im Hinterkopf, wenn ihr gleich die Gegenseite hört.",
    ],
    cross_replies: &[
        "Das lese ich anders.",
        "Das kann man aber auch umgekehrt sehen.",
        "Stimmt, aber damit ist die Frage nicht entschieden.",
        "Genau deshalb bin ich anderer Meinung.",
    ],

    summary: "In dieser Folge von „{show}“ geht es mit {hosts} um das Thema „{t}“",
    summary_covering: ", mit diesen Punkten: {parts}",
    summary_cited: ". Anzahl der unten belegten Fakten: {count}. Das ist eine Proben-Folgenbeschreibung, offline aus Vorlagen geschrieben: Jeder Fakt und jede Quelle ist ein Platzhalter, der vor der Veröffentlichung geprüft werden muss.",
    summary_fallback: "Proben-Folgenbeschreibung, offline aus Vorlagen geschrieben: Jeder Fakt und jede Quelle ist ein Platzhalter, der vor der Veröffentlichung geprüft werden muss.",
    promos: [
        "Neu bei „{show}“: {title}.",
        "{hosts} im Gespräch: {first_part}, und was das für {audience} bedeutet.",
        "{minutes} Minuten zum Thema „{t}“, jeder Fakt belegt in der Folgenbeschreibung.",
        "Die ganze Geschichte gibt es bei „{show}“.",
        "Eine neue Folge: {title}.",
    ],
};
