//! The French phrasebook. Hosts say « tu » to each other and « vous » to the listeners; the spaces before
//! « ? ! : ; », and inside guillemets, are no-break spaces. The topic stands in guillemets after « le sujet »
//! and a segment title follows « par », a verb or a colon, so no « de » or « à » has to contract with an
//! article it cannot see; no speaker's words agree with their gender.

use super::{Angle, Phrasebook};

pub(crate) const BOOK: Phrasebook = Phrasebook {
    and: " et ",
    lowercases_in_sentence: true,

    angles: [
        Angle {
            title: "Là où tout a commencé",
            questions: [
                "Où commence l'histoire du sujet « {t} » ?",
                "Quel a été le point de départ du sujet « {t} » ?",
            ],
            findings: [
                "L'histoire du sujet « {t} » commence par un premier chapitre bien documenté, qui prépare tout ce qui suit.",
                "Les premiers récits sur le sujet « {t} » divergent sur les détails, mais s'accordent sur les grandes lignes de ses débuts.",
            ],
            talk: &[
                "Les débuts sont toujours plus désordonnés que la version bien rangée ne le laisse croire.",
                "Ça aide d'imaginer le monde avant que tout cela n'existe.",
                "Au départ, personne ne savait comment l'histoire allait tourner.",
            ],
        },
        Angle {
            title: "Comment ça marche",
            questions: [
                "Quels sont les rouages derrière le sujet « {t} » ?",
                "Quel mécanisme se trouve au cœur du sujet « {t} » ?",
            ],
            findings: [
                "Au fond, le sujet « {t} » repose sur quelques mécanismes simples qui s'additionnent avec le temps.",
                "L'essentiel des détails pratiques du sujet « {t} » se résume à des compromis entre coût, fiabilité et échelle.",
            ],
            talk: &[
                "Une fois qu'on voit le mécanisme, une bonne partie de l'histoire s'éclaire.",
                "Chaque pièce du système est là parce qu'un jour, sans elle, quelque chose a mal tourné.",
                "Le plus astucieux, c'est la simplicité de l'idée de départ.",
            ],
        },
        Angle {
            title: "Les gens derrière l'histoire",
            questions: [
                "Qui sont les personnes au cœur du sujet « {t} » ?",
                "À qui doit-on l'histoire du sujet « {t} » ?",
            ],
            findings: [
                "Un petit groupe de praticiens a façonné l'histoire du sujet « {t} » plus qu'aucune institution.",
                "Une grande partie du travail quotidien lié au sujet « {t} » a été faite par des gens dont on a rarement noté le nom.",
            ],
            talk: &[
                "Derrière chacune de ces étapes, il y avait des gens qui faisaient des choix difficiles.",
                "Leur quotidien a l'air ennuyeux sur le papier, et il ne l'était pas du tout.",
                "Ça rappelle que le savoir-faire vit souvent dans les habitudes, pas dans les gros titres.",
            ],
        },
        Angle {
            title: "Les idées reçues",
            questions: [
                "Qu'est-ce qu'on comprend le plus souvent de travers sur le sujet « {t} » ?",
                "Quelles histoires populaires sur le sujet « {t} » ne tiennent pas la route ?",
            ],
            findings: [
                "La version populaire du sujet « {t} » saute les étapes lentes et progressives qui ont le plus compté.",
                "Plusieurs affirmations souvent répétées sur le sujet « {t} » remontent à un seul récit, mal sourcé.",
            ],
            talk: &[
                "Les mythes ont la vie dure parce qu'ils racontent une meilleure histoire que les archives.",
                "La version corrigée est moins spectaculaire, et bien plus intéressante.",
                "Une bonne règle : demandez-vous qui a raconté l'histoire en premier, et pourquoi.",
            ],
        },
        Angle {
            title: "Pourquoi c'est important aujourd'hui",
            questions: [
                "Pourquoi le sujet « {t} » compte-t-il encore aujourd'hui ?",
                "Qu'est-ce que le sujet « {t} » peut nous apprendre aujourd'hui ?",
            ],
            findings: [
                "Les leçons du sujet « {t} » s'appliquent à des problèmes que l'on rencontre encore aujourd'hui.",
                "L'intérêt pour le sujet « {t} » a grandi, car de nouvelles preuves et de nouveaux outils le rendent plus facile à étudier.",
            ],
            talk: &[
                "On retrouve les mêmes compromis dans des problèmes sur lesquels on travaille encore.",
                "Regarder en arrière comme ça, c'est en fait une façon de regarder devant.",
                "Ça change la façon dont on remarque les systèmes sur lesquels on compte tous les jours.",
            ],
        },
        Angle {
            title: "Ce qu'on ne sait pas encore",
            questions: [
                "Qu'est-ce qui reste incertain dans le sujet « {t} » ?",
                "Sur quels points les spécialistes du sujet « {t} » sont-ils encore en désaccord ?",
            ],
            findings: [
                "Les chercheurs débattent encore du tournant décisif dans l'histoire du sujet « {t} ».",
                "Les archives sur le sujet « {t} » sont incomplètes, si bien qu'une partie de l'histoire repose sur des estimations prudentes.",
            ],
            talk: &[
                "On a le droit de dire qu'on ne sait pas encore tout.",
                "Les questions ouvertes, c'est de là que naît le prochain bon épisode.",
                "L'incertitude fait partie de l'histoire, ce n'est pas un défaut.",
            ],
        },
    ],
    placeholder_publishers: [
        "Archives de répétition (substitut hors ligne)",
        "Bibliothèque de répétition (substitut hors ligne)",
    ],
    placeholder_source: "Source fictive {letter} pour « {angle} » ({question}, constat {finding})",
    generic_findings: [
        "Les récits de référence sur le sujet « {t} » donnent une première réponse cohérente à la question « {q} ».",
        "Une deuxième série d'indices, indépendante, sur la question « {q} » va globalement dans le même sens que la première.",
    ],
    next_question: "Qu'est-ce qu'un auditeur aimerait le plus demander ensuite sur le sujet « {t} » ?",
    hold_up_question: "Parmi ces faits provisoires sur le sujet « {t} », lesquels résistent à une vérification avec de vraies sources ?",
    sourced_uncertainty: "Le rédacteur de répétition a choisi ces phrases dans vos sources, hors ligne, d'après les mots qu'elles partagent avec chaque question ; aucun modèle ne les a lues ni vérifiées.",
    placeholder_uncertainties: [
        "Chaque fait ici a été écrit hors ligne par le rédacteur de répétition, à partir de gabarits ; aucun n'a été vérifié auprès d'une source.",
        "Les sources sont des substituts hors ligne (offline:rehearsal/…), en attendant de vraies références.",
    ],

    welcome: "Bienvenue",
    wrap_up: "Pour conclure",
    part: "La partie {n}",
    short_version: "L'essentiel",
    the_story: "Le récit",
    case_for: "Les arguments pour",
    case_against: "Les arguments contre",
    cross_examination: "Face-à-face : {title}",
    closing_statements: "Les mots de la fin",
    takeaway: "Ce qu'il faut retenir",
    citing: ", en citant {facts}",
    goal_welcome_solo: "Ouvrir avec la phrase d'introduction de l'émission ; {host} présente en solo le sujet « {t} » et annonce le programme : {titles}.",
    goal_welcome_interview: "Ouvrir avec la phrase d'introduction de l'émission ; {host} présente la personne invitée, {guest}, et le sujet « {t} ».",
    goal_welcome_debate: "Ouvrir avec la phrase d'introduction de l'émission et poser la question « {t} » : {host} défend le pour, {guest} le contre.",
    goal_welcome_brief: "Ouvrir avec la phrase d'introduction de l'émission et dire d'une traite ce que recouvre le sujet « {t} ».",
    goal_welcome_deep_dive: "Ouvrir avec la phrase d'introduction de l'émission, présenter l'équipe d'animation ({hosts}) et le sujet « {t} », puis annoncer le programme : {titles}.",
    goal_interview: "{host} pose des questions sur « {title} » pour le sujet « {t} » ; {guest} répond{cites}.",
    goal_case_for: "{host} présente les arguments pour{cites}.",
    goal_case_against: "{guest} présente les arguments contre{cites}.",
    goal_cross_examination: "{host} et {guest} débattent sur « {title} »{cites}.",
    goal_brief: "Les faits les plus importants sur le sujet « {t} »{cites}.",
    goal_conversation: "Aborder « {title} » pour le sujet « {t} », sous forme de conversation.",
    goal_cover: "Aborder « {title} » pour le sujet « {t} »{cites}.",
    goal_closing_statements: "{host} et {guest} ont chacun le dernier mot, puis on conclut avec la phrase de fin de l'émission.",
    goal_interview_close: "{host} remercie {guest}, résume les faits clés et conclut avec la phrase de fin de l'émission.",
    goal_takeaway: "Donner l'idée à retenir et conclure avec la phrase de fin de l'émission.",
    goal_recap: "Résumer les faits clés et conclure avec la phrase de fin de l'émission.",

    body_talk: &[
        &["Ça vaut la peine de ralentir ici, parce que c'est là que se joue l'essentiel de l'histoire."],
        &[
            "Mais comment est-ce qu'on le sait, au juste ?",
            "Surtout grâce aux archives de l'époque, et aux gens qui les ont étudiées attentivement ensuite.",
        ],
        &["Ce qui me frappe, c'est à quel point le sujet « {t} » repose sur un travail ordinaire, sans éclat."],
        &["Il y a la version simple de cette histoire, et puis il y a celle qui tient la route."],
        &[
            "Est-ce que ça correspond à ce que tu imaginais au départ, {other} ?",
            "Pas tout à fait. Je pensais que tout s'était passé beaucoup plus vite.",
        ],
        &["C'est le schéma qu'on retrouve sans cesse : de petits changements qui s'additionnent au fil des années."],
        &["On oublie facilement que rien de tout ça n'était inévitable."],
        &[
            "Est-ce qu'on se disputait déjà là-dessus à l'époque ?",
            "Sans arrêt, et certains de ces débats ne sont toujours pas tranchés.",
        ],
        &[
            "Pourquoi, à ton avis, cette partie disparaît-elle du récit habituel ?",
            "Sans doute parce qu'elle est moins spectaculaire. Mais c'est elle qui explique le reste.",
        ],
        &["Il faut essayer d'imaginer ce que c'était, d'être là à l'époque."],
        &["C'est un détail qu'on voudrait vérifier auprès d'une vraie source avant la diffusion."],
        &["Pour {audience}, ce qui est utile, c'est de voir comment les pièces s'emboîtent."],
        &[
            "Par où commencer, si on veut en savoir plus ?",
            "Par les sources dans les notes de l'épisode, puis par les références qu'elles citent.",
        ],
        &["Je pense souvent aux gens qui faisaient ça jour après jour."],
        &["Ça montre aussi comment une seule décision peut façonner tout ce qui suit."],
        &["Il faut faire attention à ne pas affirmer plus que ce que les preuves permettent."],
        &[
            "Qu'est-ce que tu répondrais à quelqu'un qui pense que tout ça, c'est de l'histoire ancienne ?",
            "Que les mêmes questions sont toujours là, simplement sous d'autres formes.",
        ],
        &["C'est le genre de détail qui change le regard qu'on porte sur toute l'histoire."],
        &["C'est là que le sujet « {t} » devient vraiment passionnant."],
        &[
            "Qu'est-ce qui t'étonne le plus là-dedans, {other} ?",
            "Le temps que ça a pris, et le nombre de personnes qu'il a fallu pour y arriver.",
        ],
        &["Il y a beaucoup de nuances ici, et on ne fera qu'effleurer la surface aujourd'hui."],
        &["Plus on regarde de près, plus les petites décisions comptent."],
        &[
            "Mais est-ce que c'est vraiment tout ?",
            "Non, et les complications valent aussi le détour.",
        ],
        &["Beaucoup de choses ne paraissent évidentes qu'après coup."],
        &["C'est un bel exemple de pratique qui avance plus vite que la théorie."],
        &[
            "Qu'est-ce que tu vérifierais en premier avant la diffusion ?",
            "Les dates, et qui a dit quoi en premier.",
        ],
        &["Gardons ça en tête, parce que ça compte pour tout le reste de l'épisode."],
        &["Si vous n'avez jamais réfléchi au sujet « {t} », c'est ce passage qui va tout éclairer."],
        &["Dans cette partie sur « {title} », les détails comptent plus que les gros titres."],
        &["C'est un rappel : de bonnes archives sont un cadeau pour tous ceux qui viennent après."],
        &[
            "C'est vraiment le cœur de « {title} », non ?",
            "Oui, et c'est facile de passer à côté si on ne connaît que la version des gros titres.",
        ],
        &["Le plus intéressant se cache toujours dans les détails que personne n'a pris la peine de noter."],
        &["Ce qui ressemble à un seul événement, ce sont en général des dizaines de plus petits."],
        &[
            "Tu crois que les gens de l'époque le voyaient comme ça ?",
            "Certains, oui. Mais la plupart essayaient juste de régler le problème qu'ils avaient sous les yeux.",
        ],
        &["Je ne m'attendais pas à ce que « {title} » soit la partie qui me passionne le plus."],
        &["Chaque réponse ici semble ouvrir une nouvelle question."],
        &[
            "Comment tu résumerais « {title} » en une phrase, {other} ?",
            "De petits pas patients, faits par des gens qui savaient ce qui était en jeu.",
        ],
        &["C'est exactement le genre de chose qu'une vraie vérification des faits devrait confirmer."],
        &["De tout ce qu'on a dit sur « {title} », c'est ce point que j'aimerais que vous reteniez."],
        &[
            "Qu'est-ce que tu voudrais qu'un nouvel auditeur retienne ?",
            "Que l'histoire est plus vaste, et plus humaine, que la version des gros titres.",
        ],
        &["C'est une bonne occasion de se demander d'où vient une histoire."],
        &["Il y a plus à dire sur « {title} » que ce qu'on peut caser dans un épisode."],
        &[
            "Où se situe « {title} » dans le tableau d'ensemble, {other} ?",
            "C'est une pièce parmi d'autres, mais c'est celle sur laquelle les autres s'appuient.",
        ],
        &["Ici, le contexte change tout."],
        &["On n'a même pas encore abordé le côté pratique."],
    ],
    leads: &[
        "",
        "Et ",
        "",
        "En fait, ",
        "",
        "Franchement, ",
        "",
        "Oui, et ",
        "",
        "Pour être juste, ",
        "",
        "Au fond, ",
    ],
    intro_talk: &[
        &["Notre sujet du jour, « {t} », a l'air simple, jusqu'à ce qu'on y regarde de près."],
        &[
            "{other}, qu'est-ce qui t'a donné envie de faire cet épisode ?",
            "Je tombais dessus sans arrêt, et je me suis rendu compte que je ne savais pas vraiment l'expliquer.",
        ],
        &["On va avancer pas à pas, et on signalera tout ce qui reste incertain."],
        &["Chaque partie de l'épisode d'aujourd'hui s'appuie sur la précédente."],
        &["À la fin, vous devriez pouvoir expliquer le sujet « {t} » à quelqu'un de votre entourage."],
        &["Si vous découvrez l'émission, bienvenue : on prend une grande question et on la suit jusqu'au bout."],
    ],
    closers: &[
        "À la prochaine, et restez curieux.",
        "Merci pour toutes tes bonnes questions aujourd'hui, {other}.",
        "Rappel : c'était un script de répétition, et chaque fait qu'il contient reste provisoire, jusqu'à ce que de vraies recherches le remplacent.",
        "Envoyez-nous vos questions sur le sujet « {t} », on en parlera peut-être dans un prochain épisode.",
        "Si une idée doit vous rester, que ce soit celle-ci : tout ça tenait surtout aux gens, et à leur patience.",
    ],
    previews: &[
        "On commencera par {title}.",
        "Ensuite, on passera au point suivant : {title}.",
        "Après ça, un autre point : {title}.",
        "Puis on se penchera sur un autre aspect : {title}.",
        "On regardera aussi {title}.",
        "Et on terminera par {title}.",
    ],
    top_ups: &[
        "Exactement.",
        "C'est ça.",
        "Bien dit.",
        "Je crois que c'est juste.",
        "C'est le cœur du sujet.",
        "Et ça vaut la peine de s'en souvenir.",
        "C'est une bonne façon de le dire, vraiment.",
        "C'est une histoire à laquelle on a envie de revenir.",
        "Et on n'en a couvert qu'une partie aujourd'hui, bien sûr.",
        "C'est plus intéressant qu'il n'y paraît, et c'est bien tout l'intérêt.",
    ],
    replies: 4,
    rehearsal_notice: "Petite précision : ceci est un script de répétition, écrit hors ligne à partir de gabarits, donc chaque fait qu'il contient est provisoire et à vérifier.",
    sourced_notice: "Petite précision : ceci est un script de répétition, écrit hors ligne, sans modèle ; ses faits sont des phrases tirées de vos propres sources.",
    short_notice: "Ceci est un script de répétition, écrit hors ligne à partir de gabarits.",
    rewritten_notice: "Cette version a été réécrite après une remarque de notre production.",
    plan_line: "Au programme : {titles}, puis on conclura.",
    first_topic: "Commençons par {title}.",
    transitions: &[
        "Prochaine étape : {title}.",
        "Passons au point suivant : {title}.",
        "Ce qui nous amène à un autre point : {title}.",
        "Et maintenant, voyons {title}.",
    ],
    fact_leads: &[
        "Voici ce que disent nos notes : {fact}",
        "Un constat ressort : {fact}",
        "D'après nos recherches, {fact_lower}",
        "Les sources le formulent ainsi : {fact}",
        "Autre point tiré des notes : {fact}",
    ],
    follow_ups: &[
        "Qu'est-ce que les recherches ont révélé d'autre ?",
        "Et qu'est-ce que les sources ajoutent ?",
        "Est-ce qu'il y a autre chose ?",
    ],
    fallback_follow_up: "Quoi d'autre ?",
    why_it_matters: [
        "Pourquoi est-ce si important ?",
        "Parce qu'une grande partie de la suite en dépend.",
    ],
    fallback_opener: "Où commence cette partie de l'histoire ?",
    wrap_up_opener: "Voilà pour notre tour d'horizon du sujet « {t} ».",
    fact_withheld: "Nos notes contiennent un constat à ce sujet, {id}, à lire en entier dans les notes de l'épisode.",
    recap: "Souvenez-vous : {title}. {fact}",
    greeting_guest: "Merci de m'accueillir, {host}. Je suis {me}, et je m'intéresse depuis longtemps au sujet « {t} ».",
    greeting_alone: "Je suis {me}, et aujourd'hui, on se plonge dans le sujet « {t} ».",
    greeting_with: "Je suis {me}, avec {others}, et aujourd'hui, on se plonge dans le sujet « {t} ».",
    sides_by_for: "Je défends le pour, {against} le contre, et c'est à vous de juger qui est le plus convaincant sur la question « {t} ».",
    sides_by_against: "{for} défend le pour, moi le contre, et c'est à vous de juger qui est le plus convaincant sur la question « {t} ».",
    guest_thanks: "Avec plaisir, merci de l'invitation.",

    interview_openers: &[
        "Parlons d'un nouveau point : {title}. Où commence cette partie de l'histoire ?",
        "Tu peux nous raconter {title} ?",
        "Sur « {title} », qu'est-ce que le public devrait comprendre en premier ?",
        "Qu'est-ce qui a façonné ta façon de voir « {title} » ?",
    ],
    interview_talk: &[
        &[
            "Qu'est-ce que la plupart des gens comprennent de travers sur « {title} » ?",
            "Ils imaginent un grand moment unique, alors qu'il s'agit d'une longue série de petits moments.",
        ],
        &[
            "Comment l'intérêt pour le sujet « {t} » t'est-il venu ?",
            "Par un détail étrange, qui ne collait pas avec l'histoire habituelle. Et j'ai tiré le fil.",
        ],
        &[
            "Qui faisait vraiment le travail, ici ?",
            "Surtout des gens ordinaires, dont les noms sont rarement arrivés jusqu'aux archives.",
        ],
        &[
            "Est-ce qu'il y a eu un tournant ?",
            "Quelques-uns, et aucun n'en avait l'air sur le moment.",
        ],
        &[
            "Qu'est-ce qui fait encore débat, sur « {title} » ?",
            "Surtout la chronologie, et la part de mérite qui revient à chacun.",
        ],
        &[
            "Si tu pouvais poser une question à quelqu'un de l'époque, ce serait laquelle ?",
            "Ce qui l'inquiétait le plus, parce que ça dit ce qu'on savait alors.",
        ],
        &[
            "Les sources sont-elles fiables là-dessus ?",
            "Solides sur les grandes lignes, plus lacunaires sur les détails. Alors on le dit quand ça compte.",
        ],
        &[
            "Qu'est-ce que ça a changé ?",
            "Plus qu'on ne le croit : des habitudes, des règles, et ce que les gens trouvaient normal.",
        ],
        &[
            "Il y a un détail que tu racontes toujours quand tu dînes avec des amis ?",
            "À quel point tout ça tenait à la patience plutôt qu'au génie.",
        ],
        &[
            "Qu'est-ce qu'un sceptique devrait regarder en premier ?",
            "Les archives de l'époque, avant que quiconque sache comment l'histoire finirait.",
        ],
        &[
            "Quel lien entre « {title} » et le reste de l'histoire ?",
            "C'est la charnière : ce qui vient avant ne prend son sens qu'à sa lumière.",
        ],
        &[
            "Qu'est-ce qu'on découvre en creusant « {title} » ?",
            "À quel point tout était concret. Les grandes explications sont venues plus tard.",
        ],
    ],
    guest_answer: "C'est une histoire plus vaste qu'il n'y paraît, et elle parle surtout de gens qui ont travaillé avec patience.",
    case_openers: [
        "Voici mes arguments sur la question « {t} », et je vais les présenter franchement.",
        "Je vois la question « {t} » de façon très différente, et voici pourquoi.",
    ],
    case_leads: [
        &[
            "Ma première preuve : {fact}",
            "Et ce n'est pas tout, de mon côté : {fact}",
            "Regardez les archives : {fact}",
        ],
        &[
            "Considérez plutôt ceci : {fact}",
            "Ce que l'autre camp passe sous silence : {fact}",
            "Voici ce qui va à l'encontre : {fact}",
        ],
    ],
    case_talk: &[
        "C'est le cœur de mon argument, et je le maintiens.",
        "Rien de tout ça n'est aussi tranché qu'il y paraît.",
        "Si on pèse les preuves honnêtement, elles vont dans un seul sens.",
        "C'est là que mes arguments sont les plus solides.",
        "Gardez ça en tête quand vous entendrez l'autre camp.",
    ],
    cross_replies: &[
        "Je le lirais autrement.",
        "Ça peut pourtant jouer dans les deux sens.",
        "D'accord, mais ça ne tranche pas la question.",
        "C'est justement pour ça que je ne suis pas d'accord.",
    ],

    summary: "Dans cet épisode du podcast {show}, {hosts} se penchent sur le sujet « {t} »",
    summary_covering: ", avec au programme : {parts}",
    summary_cited: ". Faits cités ci-dessous : {count}. Ces notes d'épisode sont une répétition, écrites hors ligne à partir de gabarits : chaque fait et chaque source sont provisoires et à vérifier avant publication.",
    summary_fallback: "Notes d'épisode de répétition, écrites hors ligne à partir de gabarits : chaque fait et chaque source sont provisoires et à vérifier avant publication.",
    promos: [
        "Nouveau sur {show} : {title}.",
        "{hosts} racontent {first_part}, et ce que ça change pour {audience}.",
        "{minutes} minutes sur le sujet « {t} », avec chaque fait sourcé dans les notes de l'épisode.",
        "Écoutez {show} pour toute l'histoire.",
        "Nouvel épisode : {title}.",
    ],
};
