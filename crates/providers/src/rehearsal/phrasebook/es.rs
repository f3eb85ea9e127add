//! The Spanish phrasebook. Hosts and listeners are both «tú» to the speaker; no speaker's words agree with
//! their gender. The topic and segment titles follow «sobre», «con», «en», «por», a verb or a colon, never
//! «de» or «a», which would have to contract with an article («del», «al») they cannot see.

use super::{Angle, Phrasebook};

pub(crate) const BOOK: Phrasebook = Phrasebook {
    and: " y ",
    lowercases_in_sentence: true,

    angles: [
        Angle {
            title: "Los orígenes",
            questions: [
                "¿Cuál es el punto de partida cuando se habla sobre {t}?",
                "¿Qué puso en marcha todo lo relacionado con {t}?",
            ],
            findings: [
                "Todo lo relacionado con {t} arranca con un capítulo temprano y bien documentado que prepara lo que viene después.",
                "Los primeros relatos sobre {t} difieren en los detalles, pero coinciden en las líneas generales de cómo empezó todo.",
            ],
            talk: &[
                "Los comienzos siempre son más caóticos de lo que sugiere la versión ordenada.",
                "Ayuda imaginar el mundo antes de que existiera todo esto.",
                "Al principio nadie sabía cómo iba a terminar la historia.",
            ],
        },
        Angle {
            title: "Cómo funciona",
            questions: [
                "¿Qué engranajes se mueven tras {t}?",
                "¿Cuál es el mecanismo central en {t}?",
            ],
            findings: [
                "En esencia, lo relacionado con {t} se apoya en unos pocos mecanismos sencillos que se suman con el tiempo.",
                "Casi todos los detalles prácticos sobre {t} se reducen a compromisos entre costo, fiabilidad y escala.",
            ],
            talk: &[
                "Cuando ves el mecanismo, gran parte de la historia empieza a tener sentido.",
                "Cada pieza del sistema está ahí porque alguna vez algo salió mal sin ella.",
                "Lo ingenioso es lo sencilla que resulta la idea de fondo.",
            ],
        },
        Angle {
            title: "Quiénes están detrás",
            questions: [
                "¿Quiénes son las personas clave en {t}?",
                "¿Gracias al trabajo de quién fue posible todo lo relacionado con {t}?",
            ],
            findings: [
                "Un pequeño grupo de personas del oficio influyó en {t} más que cualquier institución.",
                "Gran parte del trabajo cotidiano en {t} lo hicieron personas cuyos nombres rara vez quedaron registrados.",
            ],
            talk: &[
                "Detrás de cada uno de estos pasos había personas tomando decisiones difíciles.",
                "Su rutina suena aburrida sobre el papel, y era todo menos eso.",
                "Nos recuerda que el saber hacer suele vivir en los hábitos, no en los titulares.",
            ],
        },
        Angle {
            title: "Mitos y malentendidos",
            questions: [
                "¿Qué es lo que más se malinterpreta sobre {t}?",
                "¿Qué historias populares sobre {t} no se sostienen?",
            ],
            findings: [
                "La versión popular sobre {t} se salta los pasos lentos y graduales que más importaron.",
                "Varias afirmaciones muy repetidas sobre {t} se remontan a un único relato con pocas fuentes.",
            ],
            talk: &[
                "Los mitos perduran porque cuentan una historia mejor que los documentos.",
                "La versión corregida es menos dramática y mucho más interesante.",
                "Una buena regla: pregúntate quién contó la historia primero, y por qué.",
            ],
        },
        Angle {
            title: "Por qué importa hoy",
            questions: [
                "¿Por qué sigue importando hoy {t}?",
                "¿Qué nos puede enseñar hoy {t}?",
            ],
            findings: [
                "Las lecciones sobre {t} se aplican a problemas que la gente enfrenta hoy.",
                "El interés por {t} ha crecido a medida que nuevas pruebas y nuevas herramientas han facilitado su estudio.",
            ],
            talk: &[
                "Los mismos compromisos aparecen en problemas en los que seguimos trabajando.",
                "Mirar atrás así es, en realidad, una forma de mirar hacia delante.",
                "Cambia cómo te fijas en los sistemas de los que dependes cada día.",
            ],
        },
        Angle {
            title: "Lo que aún no sabemos",
            questions: [
                "¿Qué sigue siendo incierto sobre {t}?",
                "¿En qué siguen sin ponerse de acuerdo los expertos sobre {t}?",
            ],
            findings: [
                "Los investigadores todavía debaten cuál fue el punto de inflexión clave en {t}.",
                "Los registros sobre {t} están incompletos, así que parte de la historia se basa en estimaciones cuidadosas.",
            ],
            talk: &[
                "Está bien decir que todavía no lo sabemos del todo.",
                "Las preguntas abiertas son el origen del próximo buen episodio.",
                "La incertidumbre es parte de la historia, no un defecto.",
            ],
        },
    ],
    placeholder_publishers: [
        "Archivo de ensayo (provisional, sin conexión)",
        "Biblioteca de ensayo (provisional, sin conexión)",
    ],
    placeholder_source: "Fuente provisional {letter} para «{angle}» ({question}, hallazgo {finding})",
    generic_findings: [
        "Los relatos de referencia sobre {t} dan una primera respuesta coherente a la pregunta «{q}».",
        "Una segunda línea de evidencia, independiente, sobre «{q}» coincide en general con la primera.",
    ],
    next_question: "¿Qué querría preguntar a continuación un oyente sobre {t}?",
    hold_up_question: "¿Cuáles de estos datos provisionales sobre {t} resisten el contraste con fuentes reales?",
    sourced_uncertainty: "El redactor de ensayo eligió sin conexión estas frases de tus fuentes, por las palabras que comparten con cada pregunta; ningún modelo las leyó ni las comprobó.",
    placeholder_uncertainties: [
        "Cada dato de aquí lo escribió sin conexión el redactor de ensayo a partir de plantillas; ninguno se ha contrastado con una fuente.",
        "Las fuentes son marcadores provisionales sin conexión (offline:rehearsal/…), en lugar de citas reales.",
    ],

    welcome: "Bienvenida",
    wrap_up: "Cierre",
    part: "La parte {n}",
    short_version: "Lo esencial",
    the_story: "La historia",
    case_for: "Los argumentos a favor",
    case_against: "Los argumentos en contra",
    cross_examination: "Cara a cara: {title}",
    closing_statements: "Las palabras finales",
    takeaway: "La conclusión",
    citing: ", citando {facts}",
    goal_welcome_solo: "Abrir con la frase de entrada del programa; {host} presenta en solitario el tema, {t}, y adelanta lo que viene: {titles}.",
    goal_welcome_interview: "Abrir con la frase de entrada del programa; {host} presenta a la persona invitada, {guest}, y el tema, {t}.",
    goal_welcome_debate: "Abrir con la frase de entrada del programa y plantear la pregunta, {t}: {host} argumenta a favor y {guest} en contra.",
    goal_welcome_brief: "Abrir con la frase de entrada del programa y resumir de un tirón el tema: {t}.",
    goal_welcome_deep_dive: "Abrir con la frase de entrada del programa, presentar a quienes conducen ({hosts}) y el tema, {t}, y adelantar lo que viene: {titles}.",
    goal_interview: "{host} pregunta por «{title}» (tema: {t}); {guest} responde{cites}.",
    goal_case_for: "{host} expone los argumentos a favor{cites}.",
    goal_case_against: "{guest} expone los argumentos en contra{cites}.",
    goal_cross_examination: "{host} y {guest} discuten sobre «{title}»{cites}.",
    goal_brief: "Los datos más importantes sobre {t}{cites}.",
    goal_conversation: "Tratar «{title}» (tema: {t}) en conversación.",
    goal_cover: "Tratar «{title}» (tema: {t}){cites}.",
    goal_closing_statements: "{host} y {guest} dicen cada uno una última palabra, y se cierra con la frase de despedida del programa.",
    goal_interview_close: "{host} da las gracias a {guest}, resume los datos clave y cierra con la frase de despedida del programa.",
    goal_takeaway: "Dar la conclusión principal y cerrar con la frase de despedida del programa.",
    goal_recap: "Resumir los datos clave y cerrar con la frase de despedida del programa.",

    body_talk: &[
        &["Vale la pena ir despacio aquí, porque aquí ocurre de verdad la mayor parte de la historia."],
        &[
            "¿Y cómo lo sabemos, en realidad?",
            "Sobre todo por registros de la época, y por gente que los estudió con cuidado después.",
        ],
        &["Me llama la atención que, con {t}, tanto dependa de un trabajo corriente y nada vistoso."],
        &["Hay una versión sencilla de esta historia, y luego está la versión que se sostiene."],
        &[
            "¿Es lo que esperabas al principio, {other}?",
            "No del todo. Pensaba que todo había pasado mucho más rápido.",
        ],
        &["Es el patrón que vemos una y otra vez: pequeños cambios que se suman con los años."],
        &["Es fácil olvidar que nada de esto era inevitable."],
        &[
            "¿Ya se discutía sobre esto en aquella época?",
            "Constantemente, y algunas de esas discusiones siguen sin resolverse.",
        ],
        &[
            "¿Por qué crees que esa parte se queda fuera del relato habitual?",
            "Seguramente porque es menos dramática, pero es la que explica todo lo demás.",
        ],
        &["Piensa en cómo habría sido estar allí en aquel momento."],
        &["Es un detalle que convendría comprobar con una fuente real antes de emitirlo."],
        &["Para {audience}, lo útil es ver cómo encajan las piezas."],
        &[
            "¿Por dónde empezarías si quisieras saber más sobre esto?",
            "Por las fuentes de las notas del episodio, y luego por las referencias que citan.",
        ],
        &["No dejo de pensar en las personas que hacían esto día tras día."],
        &["También muestra cómo una sola decisión puede marcar todo lo que viene después."],
        &["Conviene no afirmar más de lo que permiten las pruebas."],
        &[
            "¿Qué le dirías a quien piensa que todo esto es historia antigua?",
            "Que las mismas preguntas siguen aquí, solo que de otras formas.",
        ],
        &["Es el tipo de detalle que cambia cómo ves toda la historia."],
        &["Con {t}, aquí es donde la cosa se pone interesante de verdad."],
        &[
            "¿Qué es lo que más te sorprendió de todo esto, {other}?",
            "Lo mucho que tardó, y cuánta gente hizo falta para llegar ahí.",
        ],
        &["Hay muchos matices aquí, y hoy solo vamos a rozar la superficie."],
        &["Cuanto más de cerca miras, más importan las pequeñas decisiones."],
        &[
            "¿Pero es esa toda la historia?",
            "No, y las complicaciones también merecen un vistazo.",
        ],
        &["Mucho de esto solo parece obvio en retrospectiva."],
        &["Es un buen ejemplo de la práctica yendo por delante de la teoría."],
        &[
            "¿Qué comprobarías primero antes de emitirlo?",
            "Las fechas, y quién dijo qué primero.",
        ],
        &["Tengámoslo en cuenta, porque importa para todo lo demás de hoy."],
        &["Si nunca has pensado en {t}, esta es la parte en la que todo encaja."],
        &["En «{title}», los detalles importan más que el titular."],
        &["Los buenos registros son un regalo para todos los que vienen después."],
        &[
            "Ese es el núcleo de «{title}», ¿no?",
            "Lo es, y es fácil pasarlo por alto si solo conoces la versión del titular.",
        ],
        &["Lo interesante siempre está en los detalles que nadie se molestó en apuntar."],
        &["Lo que parece un solo acontecimiento suele ser docenas de acontecimientos más pequeños."],
        &[
            "¿Crees que la gente de entonces lo veía así?",
            "Algunos sí, pero la mayoría solo intentaba resolver el problema que tenía delante.",
        ],
        &["No esperaba que «{title}» fuera la parte que más me interesara."],
        &["Cada respuesta aquí parece abrir otra pregunta."],
        &[
            "¿Cómo resumirías «{title}» en una frase, {other}?",
            "Pasos pequeños y pacientes, dados por gente que sabía lo que estaba en juego.",
        ],
        &["Eso es justo lo que debería confirmar una verificación de datos de verdad."],
        &["De todo lo que hay en «{title}», esta es la parte que quiero que recuerde quien nos escucha."],
        &[
            "¿Qué te gustaría que se llevara alguien que nos escucha por primera vez?",
            "Que la historia es más grande, y más humana, que la versión de los titulares.",
        ],
        &["Es un buen recordatorio para preguntarse de dónde viene una historia."],
        &["Sobre «{title}» hay más de lo que cabe en un episodio."],
        &[
            "¿Dónde encaja «{title}» en el panorama general, {other}?",
            "Es una pieza más, pero es la pieza en la que se apoyan las demás.",
        ],
        &["Aquí el contexto lo cambia todo."],
        &["Todavía ni hemos llegado a la parte práctica."],
    ],
    leads: &[
        "",
        "Y ",
        "",
        "Mira, ",
        "",
        "Sinceramente, ",
        "",
        "Claro, y ",
        "",
        "Para ser justos, ",
        "",
        "Fíjate, ",
    ],
    intro_talk: &[
        &["Nuestro tema de hoy, {t}, parece sencillo hasta que lo miras de cerca."],
        &[
            "{other}, ¿qué te hizo querer hacer este episodio?",
            "Me lo encontraba una y otra vez, y me di cuenta de que no sabía explicarlo bien.",
        ],
        &["Iremos paso a paso, y señalaremos todo lo que no esté claro."],
        &["Cada parte del episodio de hoy se apoya en la anterior."],
        &["Al final, deberías poder explicarle {t} a alguien cercano."],
        &["Si es tu primera vez con nosotros, te damos la bienvenida: tomamos una gran pregunta y la seguimos hasta el final."],
    ],
    closers: &[
        "Hasta la próxima, y no pierdas la curiosidad.",
        "Gracias por todas las buenas preguntas de hoy, {other}.",
        "Recuerda: este era un guion de ensayo, y cada dato es provisional hasta que una investigación real lo sustituya.",
        "Mándanos tus preguntas sobre {t}; quizá las retomemos en un próximo episodio.",
        "Si te quedas con una sola idea, que sea esta: cuánto de todo esto dependió de las personas y de la paciencia.",
    ],
    previews: &[
        "Empezaremos con {title}.",
        "Desde ahí, seguiremos con {title}.",
        "Después hablaremos sobre {title}.",
        "Luego nos fijaremos en {title}.",
        "También veremos {title}.",
        "Y terminaremos con {title}.",
    ],
    top_ups: &[
        "Exacto.",
        "Así es.",
        "Bien dicho.",
        "Me parece justo.",
        "Esa es la clave.",
        "Y vale la pena recordarlo.",
        "Es una buena manera de decirlo, la verdad.",
        "Es una historia a la que vale la pena volver.",
        "Y hoy solo hemos cubierto una parte, claro.",
        "Es más interesante de lo que parece al principio, y de eso se trata.",
    ],
    replies: 4,
    rehearsal_notice: "Una aclaración rápida: este es un guion de ensayo, escrito sin conexión a partir de plantillas, así que cada dato que contiene es provisional y hay que comprobarlo.",
    sourced_notice: "Una aclaración rápida: este es un guion de ensayo, escrito sin conexión y sin ningún modelo; sus datos son frases de tus propias fuentes.",
    short_notice: "Este es un guion de ensayo, escrito sin conexión a partir de plantillas.",
    rewritten_notice: "Esta versión se reescribió tras una nota de nuestra producción.",
    plan_line: "Este es el plan: {titles}, y después cerramos.",
    first_topic: "Empecemos con {title}.",
    transitions: &[
        "Lo siguiente: {title}.",
        "Pasemos ahora a otro punto: {title}.",
        "Eso nos lleva a otro punto: {title}.",
        "Y ahora, vamos con {title}.",
    ],
    fact_leads: &[
        "Esto es lo que dicen nuestras notas: {fact}",
        "Hay un hallazgo que destaca: {fact}",
        "Según la investigación, {fact_lower}",
        "Las fuentes lo dicen así: {fact}",
        "Otro punto de las notas: {fact}",
    ],
    follow_ups: &[
        "¿Qué más encontró la investigación?",
        "¿Y qué añaden las fuentes?",
        "¿Hay algo más?",
    ],
    fallback_follow_up: "¿Qué más?",
    why_it_matters: [
        "¿Por qué importa tanto eso?",
        "Porque mucho de lo que viene después depende de ello.",
    ],
    fallback_opener: "¿Dónde empieza esta parte de la historia?",
    wrap_up_opener: "Hasta aquí nuestro repaso sobre {t}.",
    fact_withheld: "Nuestras notas tienen un hallazgo sobre esto, {id}, que vale la pena leer completo en las notas del episodio.",
    recap: "¿Recuerdas {title}? {fact}",
    greeting_guest: "Gracias por invitarme, {host}. Soy {me}, y hace mucho tiempo que estudio {t}.",
    greeting_alone: "Soy {me}, y hoy nos metemos de lleno en {t}.",
    greeting_with: "Soy {me}, junto con {others}, y hoy nos metemos de lleno en {t}.",
    sides_by_for: "Yo argumentaré a favor y {against} en contra, y tú decides quién defiende mejor su postura sobre {t}.",
    sides_by_against: "{for} argumenta a favor y yo en contra, y tú decides quién defiende mejor su postura sobre {t}.",
    guest_thanks: "Un placer estar aquí.",

    interview_openers: &[
        "Hablemos de un nuevo punto: {title}. ¿Dónde empieza esta parte de la historia?",
        "¿Nos puedes guiar por {title}?",
        "¿Qué debería entender primero quien nos escucha sobre {title}?",
        "¿Cómo llegaste a tu forma de ver {title}?",
    ],
    interview_talk: &[
        &[
            "¿Qué es lo que la mayoría malinterpreta sobre {title}?",
            "Creen que fue un gran momento, cuando en realidad fue una larga serie de momentos pequeños.",
        ],
        &[
            "¿Cómo empezaste a interesarte por {t}?",
            "Por un detalle raro que no encajaba con la historia habitual, y seguí tirando del hilo.",
        ],
        &[
            "¿Quiénes hacían de verdad el trabajo aquí?",
            "Sobre todo gente corriente, cuyos nombres rara vez llegaron a los registros.",
        ],
        &[
            "¿Hubo un punto de inflexión?",
            "Varios, y ninguno lo parecía en su momento.",
        ],
        &[
            "¿Qué sigue en debate sobre {title}?",
            "Sobre todo la cronología, y cuánto mérito le corresponde a cada grupo.",
        ],
        &[
            "Si pudieras hacerle una pregunta a alguien de aquella época, ¿cuál sería?",
            "Qué era lo que más le preocupaba, porque eso te dice lo que sabía.",
        ],
        &[
            "¿Hasta qué punto son fiables las fuentes sobre esto?",
            "Buenas en las líneas generales, más irregulares en los detalles; por eso lo decimos cuando importa.",
        ],
        &[
            "¿Qué cambió gracias a ello?",
            "Más de lo que uno esperaría: costumbres, normas y lo que la gente daba por normal.",
        ],
        &[
            "¿Hay algún detalle que siempre acabas contando en las cenas?",
            "Lo mucho que dependió de la paciencia, más que del talento.",
        ],
        &[
            "¿Qué debería mirar primero alguien escéptico?",
            "Los registros de la época, de antes de que nadie supiera cómo terminaría la historia.",
        ],
        &[
            "¿Qué relación hay entre {title} y el resto de la historia?",
            "Es la bisagra: lo que vino antes solo se entiende a su luz.",
        ],
        &[
            "¿Qué te sorprendió al profundizar en {title}?",
            "Lo práctico que era todo; las grandes explicaciones llegaron después.",
        ],
    ],
    guest_answer: "Es una historia más grande de lo que parece, y casi toda trata de personas haciendo un trabajo paciente.",
    case_openers: [
        "Esta es mi postura sobre {t}, y la voy a exponer con claridad.",
        "Sobre {t}, yo lo veo de una forma muy distinta, y te explico por qué.",
    ],
    case_leads: [
        &[
            "Mi primera prueba: {fact}",
            "Y hay más a mi favor: {fact}",
            "Fíjate en los registros: {fact}",
        ],
        &[
            "Considera esto, en cambio: {fact}",
            "Esto es lo que la otra parte omite: {fact}",
            "Esto es lo que va en contra: {fact}",
        ],
    ],
    case_talk: &[
        "Ese es el núcleo de mi argumento, y lo mantengo.",
        "Nada de esto está tan claro como parece.",
        "Si se sopesan las pruebas con justicia, apuntan en una sola dirección.",
        "Ahí es donde mi postura es más sólida.",
        "Pido a quien nos escucha que lo tenga presente cuando oiga a la otra parte.",
    ],
    cross_replies: &[
        "Yo lo leería de otra manera.",
        "Eso puede jugar en ambos sentidos.",
        "Es justo, pero no zanja la cuestión.",
        "Justo por eso no estoy de acuerdo.",
    ],

    summary: "En este episodio de {show}, {hosts} se adentran en {t}",
    summary_covering: ", con estos puntos: {parts}",
    summary_cited: ". Datos citados abajo: {count}. Estas son notas de ensayo del episodio, escritas sin conexión a partir de plantillas: cada dato y cada fuente es provisional y debe verificarse antes de publicar.",
    summary_fallback: "Notas de ensayo del episodio, escritas sin conexión a partir de plantillas: cada dato y cada fuente es provisional y debe verificarse antes de publicar.",
    promos: [
        "Nuevo en {show}: {title}.",
        "{hosts} hablan sobre {first_part}, y lo que significa para {audience}.",
        "{minutes} minutos sobre {t}, con cada dato citado en las notas del episodio.",
        "Escucha {show} para conocer la historia completa.",
        "Un nuevo episodio: {title}.",
    ],
};
