"""Data: platform category labels and keywords → ISCED-F 2013 broad fields.

One entry per field; keywords are separated by "|" and grouped by language.
Matching (see subjects.py) is case- and accent-insensitive, on whole words for
Latin, Greek and Cyrillic keywords and on substrings for CJK, Hangul and Thai.
Markers:
  word*   the word may go on ("language*" matches "languages"; "informati*" "Informatik")
  =word   only a label that is exactly this word ("=science": "Science" but not "Computer Science")
A keyword inside a longer matching keyword gives way to it ("programming language" → 06 only,
not also "language" → 02), so compounds that belong elsewhere are listed where they belong.
A label no keyword matches gets no field: K-MOOC's "융·복합" (convergence) and "기타" (other) on purpose.
"""
from __future__ import annotations

ISCED_FIELDS = {
    "00": "Generic programmes and qualifications",
    "01": "Education",
    "02": "Arts and humanities",
    "03": "Social sciences, journalism and information",
    "04": "Business, administration and law",
    "05": "Natural sciences, mathematics and statistics",
    "06": "Information and Communication Technologies",
    "07": "Engineering, manufacturing and construction",
    "08": "Agriculture, forestry, fisheries and veterinary",
    "09": "Health and welfare",
    "10": "Services",
}

KEYWORDS: dict[str, str] = {
    "00": """
        personal development|personal skills|study skills|soft skills|life skills|communication skills|
        career development|numeracy|
        développement personnel|compétences transversales|persönlichkeitsentwicklung|schlüsselkompetenzen|
        desarrollo personal|desenvolvimento pessoal|sviluppo personale|rozwój osobisty|личностный рост|
        자기계발|自我提升|自己啓発|พัฒนาตนเอง|pengembangan diri|kỹ năng mềm|phát triển bản thân
    """,
    "01": """
        education|teaching|teacher training|teacher education|pedagogy|e-learning|instructional design|
        éducation|enseignement|pédagogie|formation des enseignants|
        bildung|bildungs*|pädagogik|lehrerbildung|lehramt|erziehungswissenschaft*|schule|unterricht*|didaktik|
        educación|pedagogía|enseñanza|docencia|educação|pedagogia|ensino|educazione|istruzione|didattica|
        insegnamento|edukacja|pedagogika|nauczanie|dydaktyka|εκπαίδευση|παιδαγωγικ*|διδασκαλία|
        образование|педагогика|педагогическ*|
        교육|교사|교수법|教育|教学|師範|师范|教师|教員|教職|การศึกษา|ครุศาสตร์|การสอน|
        pendidikan|pengajaran|keguruan|giáo dục|sư phạm|giảng dạy
    """,
    "02": """
        art|arts|fine arts|humanities|history|philosophy|ethics|religion|religious studies|theology|
        literature|language*|foreign language*|linguistics|music|design|graphic design|film|photography|
        theatre|theater|dance|archaeology|archeology|classics|creative writing|translation|
        humanités|sciences humaines|sciences humaines et sociales|lettres|histoire|philosophie|éthique|
        littérature|langue|langues|linguistique|musique|cinéma|théâtre|danse|archéologie|patrimoine|
        kunst|künste|geisteswissenschaft*|geschichte|ethik|theologie|literatur*|sprache*|linguistik|musik|
        tanz|archäologie|kultur*|sprachwissenschaft*|
        arte|artes|humanidades|historia|filosofía|ética|religión|literatura|idiomas|lenguas|lengua|
        lingüística|música|diseño|cine|teatro|danza|arqueología|cultura|
        história|filosofia|religião|línguas|linguística|dança|arqueologia|
        arti|umanistic*|discipline umanistiche|storia|etica|religione|letteratura|lingue|lingua|linguistica|
        musica|archeologia|beni culturali|
        sztuka|humanistyka|nauki humanistyczne|filozofia|etyka|religia|języki|język*|językoznawstwo|
        lingwistyka|muzyka|teatr|taniec|kultura|
        τέχνη|τέχνες|ανθρωπιστικές επιστήμες|ιστορία|φιλοσοφία|ηθική|θρησκεία|θρησκευτικ*|λογοτεχνία|
        γλώσσα|γλώσσες|γλωσσολογία|μουσική|κινηματογράφος|θέατρο|χορός|αρχαιολογία|πολιτισμός|
        искусство|искусства|гуманитарн*|история|философия|этика|религия|религиоведение|теология|
        литература|языки|язык|лингвистика|филология|музыка|дизайн|кино|театр|танец|археология|
        культура|культурология|
        인문|언어|문학|역사|철학|윤리|종교|예술|예체능|음악|미술|조형|디자인|무용|연극|영화|외국어|고고학|문화|
        人文|文史哲|历史|歷史|哲学|哲學|文学|文學|语言|語言|外语|外語|英语|日语|韩语|艺术|藝術|音乐|音樂|美术|
        设计|設計|电影|戏剧|舞蹈|考古|宗教|伦理|
        歴史|言語|語学|外国語|英語|芸術|音楽|美術|デザイン|映画|演劇|倫理|文化|
        มนุษยศาสตร์|ศิลปะ|ศิลปกรรม|ประวัติศาสตร์|ปรัชญา|จริยธรรม|ศาสนา|วรรณกรรม|วรรณคดี|ภาษา|
        ภาษาศาสตร์|ดนตรี|การออกแบบ|ภาพยนตร์|นาฏศิลป์|โบราณคดี|วัฒนธรรม|
        seni|humaniora|sejarah|filsafat|falsafah|etika|agama|sastra|sastera|bahasa|linguistik|musik|muzik|
        desain|reka bentuk|teater|tari|arkeologi|budaya|kebudayaan|
        nghệ thuật|nhân văn|lịch sử|triết học|đạo đức|tôn giáo|văn học|ngôn ngữ|ngoại ngữ|âm nhạc|
        thiết kế|điện ảnh|sân khấu|khảo cổ|văn hóa|văn hoá
    """,
    "03": """
        social science*|social studies|sociology|psychology|economics|economy|political science|politics|
        international relations|anthropology|journalism|media studies|communication|communications|
        library science|information science|demography|development studies|gender studies|public policy|
        behavioural science*|behavioral science*|cognitive science|econometrics|
        sciences sociales|sciences humaines et sociales|sociologie|psychologie|économie|science politique|
        sciences politiques|relations internationales|anthropologie|journalisme|médias|démographie|
        sozialwissenschaft*|soziologie|volkswirtschaft*|ökonomie|wirtschaftswissenschaft*|politik*|
        politologie|journalismus|medienwissenschaft*|kommunikationswissenschaft*|ethnologie|gesellschaft|
        ciencias sociales|ciências sociais|scienze sociali|sociología|sociologia|psicología|psicologia|
        economía|economia|ciencia política|ciência política|scienze politiche|relaciones internacionales|
        relações internacionais|relazioni internazionali|periodismo|jornalismo|giornalismo|comunicación|
        comunicação|comunicazione|antropología|antropologia|
        nauki społeczne|socjologia|psychologia|ekonomia|ekonomi*|politologia|nauki polityczne|
        stosunki międzynarodowe|dziennikarstwo|komunikacja|
        κοινωνικές επιστήμες|κοινωνιολογία|ψυχολογία|οικονομικ*|οικονομία|πολιτικ*|δημοσιογραφία|
        επικοινωνία|ανθρωπολογία|
        социальные науки|социология|психология|экономика|экономическ*|политология|политическ*|
        международные отношения|журналистика|антропология|обществознание|
        사회|심리|경제|정치|언론|미디어|신문방송|국제관계|인류학|문헌정보|커뮤니케이션|
        社会|社會|心理|经济|經濟|政治|新闻|新聞|传播|傳播|国际关系|國際關係|人类学|图书馆|
        経済|ジャーナリズム|メディア|国際関係|人類学|
        สังคม|จิตวิทยา|เศรษฐศาสตร์|เศรษฐกิจ|รัฐศาสตร์|การเมือง|นิเทศศาสตร์|สื่อสารมวลชน|วารสารศาสตร์|
        มานุษยวิทยา|ความสัมพันธ์ระหว่างประเทศ|
        ilmu sosial|sains sosial|sosial|sosiologi|psikologi|ekonomi|ilmu politik|politik|
        hubungan internasional|jurnalistik|komunikasi|antropologi|kemasyarakatan|
        khoa học xã hội|xã hội|xã hội học|tâm lý|kinh tế|chính trị|quan hệ quốc tế|báo chí|truyền thông|
        nhân học
    """,
    "04": """
        business|business administration|management|marketing|accounting|finance|banking|entrepreneurship|
        leadership|human resources|administration|public administration|law|legal|supply chain|
        project management|insurance|real estate|taxation|tax|sales|e-commerce|mba|design thinking|
        entreprise|entrepreneuriat|gestion|comptabilité|finances|banque|droit|juridique|
        ressources humaines|commerce|
        wirtschaft*|wirtschaftswissenschaft*|wirtschaftsinformatik|betriebswirtschaft*|unternehmen*|
        unternehmensführung|führung|buchhaltung|rechnungswesen|finanz*|recht|rechtswissenschaft*|jura|
        verwaltung|personalwesen|
        negocios|empresa|empresas|administración|gestión|mercadotecnia|contabilidad|finanzas|banca|
        derecho|emprendimiento|liderazgo|recursos humanos|comercio|
        negócios|administração|gestão|contabilidade|finanças|direito|empreendedorismo|liderança|comércio|
        economia aziendale|azienda|impresa|gestione|contabilità|finanza|diritto|giurisprudenza|
        imprenditorialità|risorse umane|amministrazione|
        biznes|zarządzanie|rachunkowość|finanse|bankowość|prawo|przedsiębiorczość|administracja|handel|
        επιχειρήσεις|επιχειρηματικ*|διοίκηση|μάρκετινγκ|λογιστική|χρηματοοικονομικ*|νομική|δίκαιο|νομικ*|
        бизнес|менеджмент|маркетинг|бухгалтер*|финансы|финансов*|банковск*|право|юриспруденция|
        юридическ*|предпринимательство|государственное управление|
        경영|회계|마케팅|금융|재무|법률|법학|창업|리더십|행정|무역|비즈니스|
        管理|工商|商务|商務|电子商务|商业|商業|会计|會計|金融|财务|財務|市场营销|营销|法学|法律|创业|
        経営|ビジネス|マーケティング|起業|商学|マネジメント|
        ธุรกิจ|บริหาร|การจัดการ|การตลาด|บัญชี|การเงิน|การธนาคาร|นิติศาสตร์|กฎหมาย|ผู้ประกอบการ|พาณิชย์|
        bisnis|perniagaan|manajemen|pengurusan|pemasaran|akuntansi|perakaunan|keuangan|kewangan|
        perbankan|hukum|undang-undang|kewirausahaan|keusahawanan|administrasi|kepemimpinan|
        kinh doanh|thương mại điện tử|quản trị|quản lý|tiếp thị|kế toán|tài chính|ngân hàng|luật|pháp luật|khởi nghiệp|
        thương mại
    """,
    "05": """
        =science|=sciences|natural science*|physical science*|life science*|earth science*|biology|
        chemistry|physics|mathematics|math|maths|statistics|probability|algebra|calculus|geometry|astronomy|
        astrophysics|geology|ecology|environment|environmental*|climate|climate change|sustainability|
        biochemistry|biotechnology|genetics|neuroscience|oceanography|data analysis|quantum|nature|
        sciences naturelles|sciences de la vie|sciences de la terre|biologie|chimie|physique|mathématiques|
        statistique*|astronomie|géologie|écologie|environnement|développement durable|climat|
        naturwissenschaft*|chemie|physik|mathematik|statistik|ökologie|umwelt*|nachhaltigkeit|klima*|
        =ciencias|=ciências|=scienze|ciencias naturales|ciências naturais|scienze naturali|biología|
        biologia|química|chimica|física|fisica|matemáticas|matemática|matematica|estadística|estatística|
        statistica|astronomía|astronomia|geología|geologia|ecología|ecologia|medio ambiente|meio ambiente|
        ambiente|sostenibilidad|sustentabilidade|sostenibilità|
        nauki przyrodnicze|nauki ścisłe|chemia|fizyka|matematyka|statystyka|ekologia|środowisko|
        ochrona środowiska|przyroda|
        φυσικές επιστήμες|βιολογία|χημεία|φυσική|μαθηματικά|στατιστική|αστρονομία|γεωλογία|οικολογία|
        περιβάλλον|
        естественные науки|биология|химия|физика|математика|статистика|астрономия|геология|экология|
        окружающая среда|
        자연|수학|물리|천문|천문학|화학|생물|환경|통계|지구과학|생명과학|=과학|
        =理学|数学|數學|物理|化学|化學|生物|天文|地质|地質|统计|統計|环境|環境|生态|生態|自然科学|=科学|
        地学|
        =วิทยาศาสตร์|วิทยาศาสตร์ธรรมชาติ|คณิตศาสตร์|ฟิสิกส์|เคมี|ชีววิทยา|ดาราศาสตร์|ธรณีวิทยา|สถิติ|
        สิ่งแวดล้อม|นิเวศวิทยา|
        =sains|ilmu pengetahuan alam|mipa|matematika|matematik|fisika|fizik|kimia|biologi|astronomi|
        geologi|statistika|statistik|lingkungan|alam sekitar|ekologi|
        khoa học tự nhiên|toán học|=toán|vật lý|hóa học|hoá học|sinh học|thiên văn|thống kê|môi trường|
        sinh thái
    """,
    "06": """
        computer science|computer*|computing|information technology|=it|=ict|ict|programming|
        programming language*|software|software engineering|data science|data engineering|
        artificial intelligence|ai|machine learning|deep learning|natural language processing|
        cybersecurity|cyber security|information security|it security|computer networks|networking|
        database*|web development|web design|cloud computing|blockchain|internet|digital|digitalization|
        digitalisation|digital transformation|python|java|javascript|sql|algorithms|data structures|
        big data|data mining|informatics|information systems|app development|game development|prompt engineering|
        informatique|numérique|programmation|intelligence artificielle|cybersécurité|science des données|
        développement web|logiciel|apprentissage automatique|
        informatik*|wirtschaftsinformatik|programmierung|programmieren|software*|künstliche intelligenz|ki|
        maschinelles lernen|datenwissenschaft*|digitalisierung|digital*|it-sicherheit|cybersicherheit|
        datenbank*|cloud|
        informática|informatica|computación|computação|ciencias de la computación|ciência da computação|
        programación|programação|programmazione|inteligencia artificial|inteligência artificial|
        intelligenza artificiale|ciberseguridad|cibersegurança|sicurezza informatica|
        tecnologías de la información|tecnologia da informação|tecnologie dell'informazione|
        ciencia de datos|ciência de dados|scienza dei dati|aprendizaje automático|
        informatyka|programowanie|sztuczna inteligencja|cyberbezpieczeństwo|technologie informacyjne|
        uczenie maszynowe|sieci komputerowe|komputer*|cyfrow*|
        πληροφορική|προγραμματισμός|μηχανική μάθηση|τεχνητή νοημοσύνη|υπολογιστ*|ψηφιακ*|κυβερνοασφάλεια|
        информатика|программирование|искусственный интеллект|машинное обучение|
        информационные технологии|компьютерн*|кибербезопасность|информационная безопасность|цифров*|
        базы данных|
        컴퓨터|컴퓨터공학|통신|정보통신|소프트웨어|프로그래밍|프로그래밍 언어|인공지능|데이터|빅데이터|
        정보보안|코딩|인터넷|디지털|머신러닝|딥러닝|기계학습|자연어|
        计算机|計算機|信息技术|資訊|软件|軟體|编程|編程|程序设计|人工智能|大数据|数据科学|网络安全|互联网|
        物联网|云计算|机器学习|深度学习|自然语言处理|编程语言|软件工程|
        情報|コンピュータ|コンピューター|プログラミング|プログラミング言語|ソフトウェア|人工知能|
        データサイエンス|機械学習|深層学習|ディープラーニング|セキュリティ|インターネット|デジタル|
        คอมพิวเตอร์|เทคโนโลยีสารสนเทศ|สารสนเทศ|โปรแกรม|ภาษาโปรแกรม|ซอฟต์แวร์|ปัญญาประดิษฐ์|
        วิทยาการข้อมูล|ดิจิทัล|อินเทอร์เน็ต|ไซเบอร์|วิศวกรรมซอฟต์แวร์|
        ilmu komputer|sains komputer|komputer|teknologi informasi|teknologi maklumat|informatika|
        teknik informatika|pemrograman|pembelajaran mesin|pengaturcaraan|bahasa pemrograman|kecerdasan buatan|sains data|
        keamanan siber|keselamatan siber|perangkat lunak|jaringan komputer|sistem informasi|
        công nghệ thông tin|khoa học máy tính|máy tính|tin học|lập trình|ngôn ngữ lập trình|phần mềm|
        trí tuệ nhân tạo|khoa học dữ liệu|an ninh mạng|mạng máy tính|kỹ thuật số|số hóa
    """,
    "07": """
        engineering|engineer*|architecture|construction|civil engineering|mechanical|electrical|
        electronics|robotics|manufacturing|materials|materials science|energy|renewable energy|automotive|
        aerospace|chemical engineering|environmental engineering|industrial|urban planning|
        built environment|mechatronics|nanotechnology|3d printing|food technology|food science|textiles|
        mining|
        ingénierie|ingénieur|sciences de l'ingénieur|génie|génie civil|bâtiment|électronique|
        électricité|mécanique|énergie|matériaux|industrie|robotique|urbanisme|
        ingenieur*|technik|maschinenbau|elektrotechnik|elektronik|bauingenieur*|bauwesen|architektur|
        energie*|werkstoff*|produktion|fertigung|robotik|verfahrenstechnik|mechatronik|
        ingeniería|engenharia|ingegneria|arquitectura|arquitetura|architettura|construcción|construção|
        edilizia|electrónica|eletrônica|elettronica|mecánica|mecânica|meccanica|energía|energia|
        materiales|materiais|materiali|robótica|robotica|industria|indústria|urbanismo|urbanistica|
        inżynieria|budownictwo|architektura|elektronika|elektrotechnika|mechanika|energetyka|
        materiałoznawstwo|robotyka|technika|przemysł|automatyka|mechatronika|
        μηχανική|μηχανικ*|αρχιτεκτονική|ηλεκτρονική|ηλεκτρολογ*|ενέργεια|υλικά|ρομποτική|κατασκευ*|
        πολεοδομία|
        инженер*|техника|технические науки|архитектура|строительство|электроника|электротехника|
        механика|машиностроение|энергетика|энергия|материаловедение|робототехника|промышленн*|
        нанотехнологии|
        공학|건축|토목|도시|교통|운송|기계|금속|전기|전자|정밀|에너지|소재|재료|산업|화공|화학공학|환경공학|
        로봇|반도체|자동차|항공|원자력|
        工学|工程|建筑|建築|土木|机械|機械|电子|電子|电气|電気|能源|材料|化工|化学工程|制造|自动化|机器人|
        航空|航天|城市规划|环境工程|工業|エネルギー|ロボット|製造|ものづくり|
        วิศวกรรม|สถาปัตยกรรม|ก่อสร้าง|อิเล็กทรอนิกส์|ไฟฟ้า|เครื่องกล|พลังงาน|วัสดุ|อุตสาหกรรม|หุ่นยนต์|โยธา|
        teknik|kejuruteraan|rekayasa|arsitektur|seni bina|konstruksi|elektronika|elektro|listrik|mesin|
        energi|tenaga|material|industri|robotika|pembuatan|
        kỹ thuật|kiến trúc|xây dựng|điện tử|điện|cơ khí|năng lượng|vật liệu|công nghiệp|robot|chế tạo
    """,
    "08": """
        agriculture|agricultural*|agronomy|farming|forestry|fisheries|aquaculture|veterinary|horticulture|
        animal science|agribusiness|
        agronomie|agricole|forêt|foresterie|sylviculture|pêche|vétérinaire|élevage|
        landwirtschaft*|agrar*|forstwirtschaft|fischerei|aquakultur|veterinär*|tiermedizin|gartenbau|
        agricultura|agricoltura|agronomía|agronomia|forestal|florestal|forestale|silvicultura|pesca|
        acuicultura|aquicultura|acquacoltura|veterinaria|veterinária|veterinario|zootecnia|horticultura|
        orticoltura|
        rolnictwo|leśnictwo|rybactwo|rybołówstwo|weterynaria|ogrodnictwo|
        γεωπονία|γεωργία|δασολογία|αλιεία|υδατοκαλλιέργειες|κτηνιατρική|
        сельское хозяйство|сельскохозяйственн*|агрономия|лесное хозяйство|рыбное хозяйство|ветеринария|
        ветеринарн*|садоводство|
        농림|농업|수산|임업|축산|수의학|수의과|원예|농학|
        农林|农业|農業|农学|農学|园艺|園芸|林业|林業|林学|水产|水産|畜牧|畜産|兽医|兽医学|獸醫|獣医|渔业|
        เกษตร|ป่าไม้|ประมง|สัตวแพทย์|ปศุสัตว์|พืชสวน|
        pertanian|agribisnis|kehutanan|perhutanan|perikanan|kedokteran hewan|veteriner|peternakan|
        hortikultura|agroteknologi|
        nông nghiệp|lâm nghiệp|thủy sản|thuỷ sản|thú y|chăn nuôi|nông lâm
    """,
    "09": """
        health|healthcare|medicine|medical|nursing|pharmacy|pharmacology|dentistry|public health|nutrition|
        mental health|social work|welfare|biomedical|biomedicine|epidemiology|global health|physiotherapy|
        clinical|anatomy|disease|diseases|
        santé|médecine|médical|soins infirmiers|infirmier*|pharmacie|pharmacologie|dentaire|travail social|
        épidémiologie|
        gesundheit*|medizin*|pflege|krankenpflege|pharmazie|ernährung*|sozialarbeit|soziale arbeit|therapie|
        salud|saúde|salute|medicina|enfermería|enfermagem|infermieristica|farmacia|farmácia|nutrición|
        nutrição|nutrizione|trabajo social|serviço social|servizio sociale|odontología|odontologia|sanità|
        sanidad|
        zdrowie|medycyna|pielęgniarstwo|farmacja|żywienie|dietetyka|praca socjalna|stomatologia|
        ochrona zdrowia|
        υγεία|ιατρική|νοσηλευτική|φαρμακευτική|διατροφή|κοινωνική εργασία|οδοντιατρική|
        здоровье|здравоохранение|медицина|медицинск*|сестринское дело|фармация|фармакология|
        социальная работа|стоматология|
        의약|의료|의학|간호|약학|보건|치료|물리치료|건강|사회복지|복지|영양|치의학|한의학|재활|
        医药|醫藥|医学|醫學|医疗|醫療|卫生|衛生|护理|護理|药学|藥學|健康|营养|營養|公共卫生|社会工作|
        临床|中医|生物医学|医療|看護|薬学|保健|福祉|栄養|歯学|公衆衛生|介護|社会福祉|
        สุขภาพ|แพทย|พยาบาล|เภสัช|สาธารณสุข|โภชนาการ|สังคมสงเคราะห์|ทันตแพทย|สวัสดิการ|
        kesehatan|kesihatan|kedokteran|perubatan|keperawatan|kejururawatan|farmasi|gizi|pemakanan|
        kesejahteraan sosial|kesehatan masyarakat|medis|
        y tế|y học|y khoa|sức khỏe|sức khoẻ|điều dưỡng|dinh dưỡng|công tác xã hội
    """,
    "10": """
        tourism|hospitality|travel|hotel|sport|sports|fitness|physical education|transport|logistics|
        occupational safety|occupational health|culinary|cooking|beauty|military|defence|defense|aviation|
        tourisme|hôtellerie|éducation physique|logistique|
        tourismus|hotellerie|gastronomie|sportwissenschaft*|logistik|arbeitssicherheit|
        turismo|hostelería|hotelería|hotelaria|hospitalidad|deporte|deportes|esporte|esportes|desporto|
        educación física|educação física|educazione fisica|logística|logistica|gastronomía|gastronomia|
        turystyka|hotelarstwo|wychowanie fizyczne|logistyka|
        τουρισμός|φιλοξενία|αθλητισμός|φυσική αγωγή|μεταφορές|εφοδιαστική|
        туризм|гостиничн*|спорт|физическая культура|логистика|транспорт|
        관광|호텔|체육|스포츠|조리|외식|물류|뷰티|미용|
        旅游|旅遊|酒店|体育|體育|运动|運動|烹饪|物流|交通运输|军事|観光|ホテル|スポーツ|調理|
        ท่องเที่ยว|การโรงแรม|โรงแรม|กีฬา|พลศึกษา|โลจิสติกส์|การบริการ|
        pariwisata|pelancongan|perhotelan|hospitaliti|olahraga|sukan|logistik|tata boga|kuliner|
        du lịch|khách sạn|thể thao|thể dục|hậu cần|ẩm thực
    """,
}

# Course levels: normalized label → level. Words only (no numbers: K-MOOC's "level" codes
# 1, 2, 3… are not documented, so they are not mapped). CEFR and DigComp levels included.
LEVELS: dict[str, str] = {
    "introductory": """
        beginner|beginners|introductory|introduction|intro|basic|basics|elementary|foundation|
        foundational|fundamentals|entry|entry level|novice|starter|a1|a2|
        débutant|débutants|débutante|initiation|introductif|fondamental|
        einsteiger|anfänger|anfaenger|grundlagen|grundkurs|einführung|basis|
        principiante|principiantes|básico|inicial|introductorio|iniciante|introdutório|base|introduttivo|
        podstawowy|początkujący|początkujących|начальный|базовый|вводный|для начинающих|
        αρχάριοι|αρχάριο|βασικό|εισαγωγικό|
        초급|입문|기초|初级|初級|入门|入門|基础|基礎|เบื้องต้น|พื้นฐาน|ระดับต้น|
        pemula|dasar|asas|cơ bản|nhập môn|sơ cấp
    """,
    "intermediate": """
        intermediate|medium|b1|b2|
        intermédiaire|moyen|mittel|mittelstufe|intermedio|intermedia|intermediário|intermédio|
        średniozaawansowany|średni|средний|μέσο|ενδιάμεσο|
        중급|中级|中級|ระดับกลาง|ปานกลาง|menengah|pertengahan|trung cấp|trung bình
    """,
    "advanced": """
        advanced|expert|experts|proficient|highly specialised|highly specialized|c1|c2|
        avancé|avancés|avancée|approfondi|fortgeschritten|fortgeschrittene|experte|experten|profi|
        vertiefung|avanzado|experto|avançado|especialista|avanzato|esperto|zaawansowany|ekspert|
        продвинутый|углубленный|экспертный|προχωρημένο|προχωρημένοι|
        고급|심화|高级|高級|进阶|上級|応用|ขั้นสูง|ระดับสูง|lanjutan|mahir|nâng cao|cao cấp
    """,
}

# Words around a level that do not change it: "Level: Beginner", "난이도 초급", "Niveau avancé".
LEVEL_FILLERS = """
    level|levels|niveau|stufe|nivel|nível|livello|poziom|уровень|επίπεδο|difficulty|course|kurs|
    난이도|수준|과정|难度|難易度|级别|レベル|tingkat|trình độ
"""
