"""Hand-made vocabulary of the demo company (no Faker: small, hand-made lists): countries with
their currencies and spellings, first and last names per language with nicknames, street names,
cities with their postcodes, states and area codes, mobile number ranges and the phone renderings,
e-mail domains, product nouns, user agents, campaign themes, ticket subjects and the other code
lists the systems use. Plain data, independent of the seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

COUNTRIES = ["GB", "IE", "US", "DE", "FR"]
GB, IE, US, DE, FR = range(5)
COUNTRY_P = [0.60, 0.10, 0.15, 0.08, 0.07]
CURRENCIES = ["GBP", "EUR", "USD", "EUR", "EUR"]
FX = np.array([1.0, 1.17, 1.27, 1.17, 1.17])  # GBP -> order currency
FREE_SHIP_C = np.array([5000, 6000, 7500, 6000, 6000])
SHIP_FEE_C = np.array([395, 495, 695, 495, 495])
COUNTRY_NAMES = {  # how free-text systems spell countries; first entry = most common
    GB: ["United Kingdom", "UK", "GB", "Great Britain", "England", "U.K."],
    IE: ["Ireland", "IE", "Republic of Ireland", "Eire"],
    US: ["United States", "USA", "US", "U.S.A.", "United States of America"],
    DE: ["Germany", "DE", "Deutschland"],
    FR: ["France", "FR", "Frankreich"],
}

_EN_F = [
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy",
    "Lisa", "Margaret", "Betty", "Sandra", "Ashley", "Dorothy", "Kimberly", "Emily", "Donna", "Michelle", "Carol",
    "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy",
    "Shirley", "Angela", "Helen", "Anna", "Brenda", "Pamela", "Nicole", "Samantha", "Katherine", "Emma", "Ruth",
    "Christine", "Catherine", "Rachel", "Janet", "Virginia", "Maria", "Heather", "Diane", "Julie", "Joyce",
    "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan", "Cheryl", "Andrea",
    "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Teresa", "Kathryn", "Sara", "Janice", "Jean",
    "Alice", "Madison", "Doris", "Abigail", "Julia", "Grace", "Denise", "Amber", "Marilyn", "Beverly", "Danielle",
    "Theresa", "Sophie", "Marie", "Diana", "Natalie", "Isabella", "Charlotte", "Rose", "Alexandra", "Amelia", "Chloe",
    "Lucy", "Ella", "Mia", "Poppy", "Freya", "Isla", "Lily", "Ava", "Eleanor", "Gillian", "Nicola", "Claire",
    "Joanne", "Tracey", "Alison", "Louise", "Kirsty", "Gemma", "Leanne", "Hayley", "Zoe", "Jade", "Paula", "Wendy",
    "Josephine", "Sophia", "Harriet", "Imogen", "Georgia", "Holly", "Jasmine", "Ellie", "Katie", "Caroline", "Fiona",
    "Joanna", "Susanne", "Lorraine", "Dawn", "Julia", "Yvonne", "Elaine", "Maureen", "Sheila", "Valerie", "Rita",
    "Jill", "Hazel"
]
_EN_M = [
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher", "Charles",
    "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua", "Kenneth", "Kevin",
    "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric",
    "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander",
    "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Adam", "Nathan", "Henry", "Zachary",
    "Douglas", "Peter", "Kyle", "Noah", "Ethan", "Jeremy", "Walter", "Christian", "Keith", "Roger", "Terry", "Austin",
    "Sean", "Gerald", "Carl", "Harold", "Dylan", "Arthur", "Lawrence", "Jordan", "Jesse", "Bryan", "Bruce", "Gabriel",
    "Logan", "Alan", "Albert", "Elijah", "Wayne", "Randy", "Vincent", "Mason", "Roy", "Ralph", "Russell", "Bradley",
    "Philip", "Eugene", "Oliver", "Harry", "Charlie", "Freddie", "Alfie", "Archie", "Leo", "Oscar", "Theo", "Jake",
    "Callum", "Liam", "Lewis", "Connor", "Luke", "Owen", "Rhys", "Jamie", "Craig", "Darren", "Gareth", "Neil",
    "Stuart", "Ian", "Graham", "Colin", "Martin", "Simon", "Nigel", "Trevor", "Barry", "Frederick", "Joe", "Billy",
    "Toby", "Max", "Louis", "Hugo", "Reuben", "Rory", "Dominic", "Marcus", "Edmund", "Duncan", "Alistair", "Hamish",
    "Fraser", "Ewan"
]
_IE_F = [
    "Siobhán", "Niamh", "Aoife", "Róisín", "Orla", "Ciara", "Sinéad", "Aisling", "Caoimhe", "Saoirse", "Gráinne",
    "Clodagh", "Deirdre", "Eimear", "Máire"
]
_IE_M = [
    "Seán", "Ciarán", "Pádraig", "Eoin", "Declan", "Conor", "Cian", "Darragh", "Oisín", "Colm", "Diarmuid", "Fionn",
    "Ronan", "Cathal", "Dónal", "Niall", "Shane", "Eamon"
]
_DE_F = [
    "Anna", "Maria", "Ursula", "Monika", "Petra", "Elisabeth", "Sabine", "Renate", "Helga", "Karin", "Brigitte",
    "Ingrid", "Erika", "Andrea", "Gisela", "Claudia", "Susanne", "Gabriele", "Christa", "Christine", "Birgit",
    "Barbara", "Julia", "Stefanie", "Katharina", "Lena", "Laura", "Lea", "Leonie", "Hannah", "Sophie", "Sarah",
    "Johanna", "Franziska", "Nicole", "Sandra", "Melanie", "Anja", "Jana"
]
_DE_M = [
    "Peter", "Michael", "Wolfgang", "Thomas", "Klaus", "Jürgen", "Andreas", "Hans", "Stefan", "Christian", "Uwe",
    "Werner", "Frank", "Bernd", "Dieter", "Horst", "Manfred", "Gerhard", "Ralf", "Matthias", "Markus", "Sebastian",
    "Tobias", "Jan", "Lukas", "Maximilian", "Felix", "Jonas", "Leon", "Paul", "Alexander", "Daniel", "Florian",
    "Johannes", "Tim", "Niklas", "Philipp", "Moritz", "Simon", "Dominik", "Fabian", "Kai", "Holger", "Jens", "Dirk",
    "Torsten", "Sven", "Oliver", "Jörg"
]
_FR_F = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique", "Valérie", "Sophie",
    "Sandrine", "Stéphanie", "Véronique", "Céline", "Chantal", "Camille", "Julie", "Aurélie", "Émilie", "Laura",
    "Manon", "Léa", "Chloé", "Inès", "Sarah", "Emma", "Juliette", "Lucie", "Pauline", "Mathilde", "Élodie", "Claire",
    "Anne", "Hélène", "Margaux", "Océane", "Clémence", "Charlotte", "Caroline", "Virginie"
]
_FR_M = [
    "Jean", "Philippe", "Michel", "Alain", "Nicolas", "Christophe", "Patrick", "Pierre", "Daniel", "Éric", "Frédéric",
    "Laurent", "Stéphane", "Pascal", "Julien", "David", "Sébastien", "Thierry", "Thomas", "Olivier", "François",
    "Guillaume", "Antoine", "Maxime", "Alexandre", "Romain", "Hugo", "Lucas", "Louis", "Théo", "Mathieu", "Vincent",
    "Benoît", "Jérôme", "Cédric", "Quentin", "Baptiste", "Florian", "Arnaud", "Damien", "Yann", "Gabriel", "Raphaël",
    "Arthur", "Jules"
]

NICKNAMES: dict[str, list[str]] = {
    "William": ["Bill", "Will", "Billy", "Liam"], "Robert": ["Bob", "Rob", "Bobby", "Robbie"],
    "Elizabeth": ["Liz", "Beth", "Lizzie", "Eliza", "Betty"], "Katherine": ["Kate", "Katie", "Kathy", "Kat"],
    "Catherine": ["Cathy", "Kate", "Cat"], "Margaret": ["Maggie", "Peggy", "Meg"],
    "James": ["Jim", "Jamie", "Jimmy"], "Michael": ["Mike", "Mick", "Mikey"], "Thomas": ["Tom", "Tommy"],
    "Jennifer": ["Jen", "Jenny"], "Christopher": ["Chris", "Kit"], "Alexander": ["Alex", "Sandy"],
    "Alexandra": ["Alex", "Lexi", "Sandra"], "Daniel": ["Dan", "Danny"], "Joseph": ["Joe", "Joey"],
    "Patricia": ["Pat", "Trish", "Patty"], "Richard": ["Rick", "Dick", "Rich", "Richie"],
    "Edward": ["Ed", "Ted", "Eddie", "Ned"], "Anthony": ["Tony"], "Andrew": ["Andy", "Drew"],
    "Benjamin": ["Ben", "Benny"], "Charles": ["Charlie", "Chuck"], "David": ["Dave", "Davey"],
    "Jonathan": ["Jon", "Johnny"], "John": ["Johnny", "Jack"], "Matthew": ["Matt"],
    "Nicholas": ["Nick", "Nicky"], "Samuel": ["Sam", "Sammy"], "Stephen": ["Steve"], "Steven": ["Steve"],
    "Timothy": ["Tim"], "Peter": ["Pete"], "Gregory": ["Greg"], "Kenneth": ["Ken", "Kenny"],
    "Ronald": ["Ron", "Ronnie"], "Donald": ["Don"], "Raymond": ["Ray"], "Gerald": ["Gerry"],
    "Lawrence": ["Larry"], "Frederick": ["Fred", "Freddie"], "Henry": ["Harry", "Hank"],
    "Harold": ["Harry"], "Philip": ["Phil"], "Nathan": ["Nate"], "Zachary": ["Zach"], "Joshua": ["Josh"],
    "Oliver": ["Ollie"], "Susan": ["Sue", "Suzy"], "Deborah": ["Deb", "Debbie"], "Rebecca": ["Becky", "Becca"],
    "Victoria": ["Vicky", "Tori"], "Jessica": ["Jess", "Jessie"], "Samantha": ["Sam", "Sammy"],
    "Abigail": ["Abby"], "Christine": ["Chris", "Chrissy"], "Christina": ["Tina", "Chris"],
    "Barbara": ["Barb", "Babs"], "Dorothy": ["Dot", "Dottie"], "Jacqueline": ["Jackie"],
    "Josephine": ["Jo", "Josie"], "Nicola": ["Nicky"], "Amanda": ["Mandy"], "Theresa": ["Tess", "Terri"],
    "Eleanor": ["Ellie", "Nell"], "Frances": ["Fran"], "Judith": ["Judy"], "Pamela": ["Pam"],
    "Sandra": ["Sandy"], "Cynthia": ["Cindy"], "Kimberly": ["Kim"], "Melissa": ["Mel"],
    "Stephanie": ["Steph"], "Gillian": ["Gill"], "Charlotte": ["Lottie", "Charlie"],
    "Isabella": ["Bella", "Izzy"], "Olivia": ["Liv"], "Sophia": ["Sophie"], "Danielle": ["Dani"],
    "Douglas": ["Doug"], "Walter": ["Walt"], "Albert": ["Bert", "Al"], "Eugene": ["Gene"],
    "Dominic": ["Dom"], "Johannes": ["Hannes"], "Maximilian": ["Max"], "Katharina": ["Kathi", "Kati"],
    "Franziska": ["Franzi"], "Andreas": ["Andi"], "Matthias": ["Matze"], "Alexandre": ["Alex"],
    "Frédéric": ["Fred"], "Stéphanie": ["Steph"], "Pádraig": ["Paddy"], "Seán": ["Shaun"],
}

_EN_LAST = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
    "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
    "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
    "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson",
    "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason",
    "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
    "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham",
    "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds",
    "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley",
    "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant",
    "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter",
    "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid",
    "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy", "Williamson",
    "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop", "Walton",
    "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne",
    "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor", "Harper", "Coleman",
    "Watkins", "Moss", "McCarthy", "Chambers", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne",
    "Johnston", "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson", "Rowe", "Burke", "May", "Pritchard",
    "Gilbert", "Willis", "Higgins", "Read", "Miles", "Stevenson", "Stephenson", "Hammond", "Arnold", "Buckley",
    "Walters", "Hewitt", "Barber", "Nelson", "Slater", "Austin", "Sullivan", "Whitehead", "Mann", "Frost", "Lambert",
    "Stephens", "Blake", "Akhtar", "Lynch", "Goodwin", "Barton", "Woodward", "Thomson", "Cunningham", "Quinn",
    "Barnett", "Baxter", "Clayton", "Nash", "Greenwood", "Jennings", "Holt", "Kemp", "Poole", "Gallagher", "Bond",
    "Stokes", "Tucker", "Davidson", "Fowler", "Heath", "Norman", "Middleton", "Lawson", "Banks", "French", "Stanley",
    "Jarvis", "Gibbs", "Ferguson", "Hayward", "Carroll", "Douglas", "Dickinson", "Todd", "Barlow", "Peters", "Lucas",
    "Knowles", "Hartley", "Miah", "Simmons", "Morton", "Alexander", "Field", "Morrison", "Norris", "Townsend",
    "Preston", "Hancock", "Thornton", "Baldwin", "Burrows", "Briggs", "Storey", "Pollard", "Ashworth", "Whitaker",
    "Ainsworth", "Fairbairn", "Smith-Jones", "Lloyd-Webber"
]
_US_LAST = [
    "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres",
    "Flores", "Rivera", "Nguyen", "Kim", "Washington", "Gomez", "Diaz", "Reyes", "Cruz", "Ortiz", "Chen", "Wang",
    "Le", "Tran", "Park"
]
_IE_LAST = [
    "Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill", "O'Reilly", "Doyle",
    "McCarthy", "Gallagher", "O'Doherty", "Kennedy", "Lynch", "Murray", "Quinn", "Moore", "McLoughlin", "O'Carroll",
    "Connolly", "Daly", "O'Connell", "Dunne", "Brennan", "Burke", "Fitzgerald", "Maguire", "Nolan", "Flynn",
    "O'Callaghan", "O'Donnell", "Duffy", "O'Mahony", "Boyle", "Healy", "O'Shea", "Sweeney", "Kavanagh", "Power",
    "McGrath", "Moran", "Brady", "Casey", "Foley", "Fitzpatrick", "O'Leary", "McDonnell", "Donnelly", "Regan",
    "Donovan", "Flanagan", "Mullan", "Kane", "Kenny", "Sheehan", "Whelan", "Lyons", "Cullen", "Keane", "Maher",
    "McKenna", "Hogan", "O'Keeffe", "Magee", "McNamara", "O'Rourke", "O'Dwyer"
]
_DE_LAST = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
    "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters",
    "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther",
    "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon",
    "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer",
    "Groß", "Seidel", "Heinrich", "Brandt", "Haas"
]
_FR_LAST = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas",
    "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire", "Noël",
    "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Gérard", "Roche", "Renard", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Fabre", "Aubert", "Lemoine",
    "Renaud", "Dumas", "Lacroix", "Olivier", "Bourgeois", "Benoît", "Leclerc", "Dupuis", "Le", "Gall", "Le", "Roux"
]
_FR_LAST = [s for s in _FR_LAST if s not in ("Le",)] + ["Le Gall", "Le Roux", "Da Silva"]
_FR_LAST = [s for s in _FR_LAST if s not in ("Gall", "Roux")] + ["Roux"]

_GB_STREET_BASE = [
    "High", "Station", "Church", "Victoria", "Park", "Manor", "Queens", "Kings", "Mill", "School", "North", "South",
    "London", "Albert", "Green", "Chapel", "Windsor", "York", "Springfield", "Grange", "Orchard", "Meadow",
    "Highfield", "Cedar", "Elm", "Oak", "Willow", "Beech", "Ash", "Alexandra", "Richmond", "Cambridge", "Mount",
    "Brook", "Hill", "Forest", "Stanley", "Clarence", "Salisbury", "Marlborough", "Wellington", "Nelson", "Balmoral",
    "Hawthorn", "Primrose", "Rose", "Lime", "Sycamore", "Birch", "Chestnut", "Holly", "Westfield", "Broad", "West",
    "New", "Bridge", "Market", "Castle", "Abbey", "Priory", "Riverside"
]
_GB_TYPES = [("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
             ("Drive", "Dr"), ("Gardens", "Gdns"), ("Crescent", "Cres"), ("Place", "Pl"),
             ("Court", "Ct"), ("Terrace", "Terr"), ("Grove", "Gr"), ("Way", "Way")]
_IE_STREET_BASE = [
    "Main", "Strand", "O'Connell", "Pearse", "Parnell", "Grafton", "Dame", "Harcourt", "Leeson", "Patrick",
    "Clontarf", "Rathmines", "Ranelagh", "Glasnevin", "Drumcondra", "Sandymount", "Church", "Station", "Castle",
    "Bridge", "Mill", "Park", "Green", "Abbey", "Chapel", "Sarsfield", "Emmet", "Davitt"
]
_IE_TYPES = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Park", "Pk"), ("Drive", "Dr"),
             ("Lane", "Ln"), ("Terrace", "Tce"), ("Grove", "Gr"), ("Court", "Ct")]
_US_STREET_BASE = [
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Lincoln",
    "Jefferson", "Madison", "Franklin", "Highland", "Forest", "River", "Spring", "Church", "Walnut", "Chestnut",
    "Willow", "Meadow", "Center", "Union", "Jackson", "Adams", "Ridge", "Valley", "Broadway", "Market", "Cherry",
    "Lakeview", "Hillcrest", "1st", "2nd", "3rd", "5th", "Fifth", "Second"
]
_US_TYPES = [("Street", "St"), ("Avenue", "Ave"), ("Boulevard", "Blvd"), ("Drive", "Dr"),
             ("Road", "Rd"), ("Lane", "Ln"), ("Court", "Ct"), ("Place", "Pl"), ("Way", "Way")]
_DE_STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Bergstraße", "Lindenstraße",
    "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße", "Goethestraße", "Friedrichstraße", "Mozartstraße",
    "Beethovenstraße", "Lindenweg", "Birkenweg", "Rosenweg", "Feldweg", "Wiesenweg", "Ahornweg", "Kantstraße",
    "Uhlandstraße", "Poststraße", "Marktplatz", "Kaiserstraße", "Wilhelmstraße", "Luisenstraße", "Parkstraße",
    "Blumenstraße", "Talstraße", "Sonnenstraße", "Mühlenweg", "Brunnenstraße", "Industriestraße", "Berliner Straße",
    "Hamburger Straße", "Münchner Straße", "Am Markt", "Alte Gasse"
]
_FR_STREETS = ["rue de la Paix", "rue Victor Hugo", "boulevard Saint-Michel", "rue de la République",
               "rue Jean Jaurès", "avenue Jean Médecin", "rue Nationale", "avenue de la Gare",
               "rue des Écoles", "place de la Liberté", "rue Pasteur", "rue Gambetta", "avenue Foch",
               "boulevard Voltaire", "rue de Rivoli", "rue du Château", "rue des Lilas",
               "chemin des Vignes", "allée des Tilleuls", "impasse des Roses", "rue Carnot",
               "rue Émile Zola", "avenue du Général de Gaulle", "rue Saint-Jacques",
               "quai de la Tournelle", "rue de Verdun", "boulevard Gambetta", "rue de la Mairie",
               "avenue de la République", "rue du Moulin"]
_FR_ABBR = [("boulevard ", "bd "), ("avenue ", "av. "), ("place ", "pl. "), ("chemin ", "ch. "),
            ("allée ", "all. "), ("rue ", "r. "), ("impasse ", "imp. "), ("quai ", "q. ")]

# Cities: (country, name, weight, state, postcode spec, landline area codes, alternative spellings)
_CITY_ROWS: list[tuple[int, str, float, str | None, Any, list[str], list[str]]] = [
    (GB, "London", 30, None, "E1 E14 E17 N1 N7 N16 NW1 NW3 NW6 SE1 SE15 SE22 SW1A SW4 SW11 SW19 W1T W2 W5 W12 EC1V "
     "WC1N",
     ["20"], ["LONDON", "Greater London"]),
    (GB, "Manchester", 6, None, "M1 M4 M14 M20 M21 M32", ["161"], ["MANCHESTER", "Greater Manchester"]),
    (GB, "Birmingham", 6, None, "B1 B5 B13 B15 B29 B30", ["121"], ["B'ham"]),
    (GB, "Leeds", 4, None, "LS1 LS6 LS8 LS17", ["113"], []),
    (GB, "Glasgow", 4, None, "G1 G3 G12 G41", ["141"], []),
    (GB, "Edinburgh", 3.5, None, "EH1 EH3 EH10 EH12", ["131"], []),
    (GB, "Bristol", 3.5, None, "BS1 BS6 BS8 BS16", ["117"], []),
    (GB, "Liverpool", 3.5, None, "L1 L8 L17 L18", ["151"], []),
    (GB, "Sheffield", 3, None, "S1 S10 S11", ["114"], []),
    (GB, "Newcastle upon Tyne", 2.5, None, "NE1 NE2 NE6", ["191"], ["Newcastle"]),
    (GB, "Cardiff", 2.5, None, "CF10 CF11 CF14", ["29"], []),
    (GB, "Nottingham", 2.5, None, "NG1 NG5 NG7", ["115"], []),
    (GB, "Leicester", 2, None, "LE1 LE2 LE3", ["116"], []),
    (GB, "Brighton", 2, None, "BN1 BN2 BN3", ["1273"], ["Brighton and Hove", "Hove"]),
    (GB, "Oxford", 1.5, None, "OX1 OX2 OX4", ["1865"], []),
    (GB, "Cambridge", 1.5, None, "CB1 CB2 CB4", ["1223"], []),
    (GB, "York", 1.2, None, "YO1 YO10 YO31", ["1904"], []),
    (GB, "Bath", 1, None, "BA1 BA2", ["1225"], []),
    (GB, "Norwich", 1.2, None, "NR1 NR2 NR3", ["1603"], []),
    (GB, "Belfast", 2, None, "BT1 BT7 BT9", ["28"], []),
    (GB, "Reading", 1.5, None, "RG1 RG4 RG30", ["118"], []),
    (GB, "Southampton", 1.5, None, "SO14 SO15 SO17", ["23"], []),
    (GB, "Exeter", 1, None, "EX1 EX2 EX4", ["1392"], []),
    (GB, "Aberdeen", 1, None, "AB10 AB11 AB15", ["1224"], []),
    (GB, "Milton Keynes", 1.2, None, "MK9 MK10 MK14", ["1908"], ["MK"]),
    (GB, "Guildford", 1, None, "GU1 GU2", ["1483"], []),
    (IE, "Dublin", 50, None, "D01 D02 D04 D06 D08 D15 D24", ["1"], ["Dublin 2", "Co. Dublin", "Baile Átha Cliath"]),
    (IE, "Cork", 15, None, "T12 T23", ["21"], ["Co. Cork"]),
    (IE, "Galway", 8, None, "H91", ["91"], []),
    (IE, "Limerick", 7, None, "V94", ["61"], []),
    (IE, "Waterford", 5, None, "X91", ["51"], []),
    (IE, "Kilkenny", 3, None, "R95", ["56"], []),
    (IE, "Drogheda", 3, None, "A92", ["41"], []),
    (IE, "Dundalk", 3, None, "A91", ["42"], []),
    (IE, "Sligo", 2, None, "F91", ["71"], []),
    (IE, "Athlone", 2, None, "N37", ["90"], []),
    (US, "New York", 16, "NY", "100 101 102", ["212", "646", "917"], ["New York City", "NYC", "Manhattan"]),
    (US, "Brooklyn", 6, "NY", "112", ["718", "347"], []),
    (US, "Los Angeles", 10, "CA", "900", ["213", "310", "323"], ["LA"]),
    (US, "Chicago", 8, "IL", "606", ["312", "773"], []),
    (US, "Houston", 6, "TX", "770", ["713", "832"], []),
    (US, "Phoenix", 4, "AZ", "850", ["602", "480"], []),
    (US, "Philadelphia", 4, "PA", "191", ["215", "267"], ["Philly"]),
    (US, "San Antonio", 3, "TX", "782", ["210"], []),
    (US, "San Diego", 3, "CA", "921", ["619", "858"], []),
    (US, "Dallas", 4, "TX", "752", ["214", "469"], []),
    (US, "Austin", 3, "TX", "787", ["512", "737"], []),
    (US, "San Francisco", 4, "CA", "941", ["415", "628"], ["SF"]),
    (US, "Seattle", 4, "WA", "981", ["206"], []),
    (US, "Denver", 3, "CO", "802", ["303", "720"], []),
    (US, "Boston", 4, "MA", "021", ["617", "857"], []),
    (US, "Atlanta", 3, "GA", "303", ["404", "678"], []),
    (US, "Miami", 3, "FL", "331", ["305", "786"], []),
    (US, "Portland", 3, "OR", "972", ["503", "971"], []),
    (US, "Minneapolis", 2, "MN", "554", ["612"], []),
    (US, "Nashville", 2, "TN", "372", ["615"], []),
    (US, "Columbus", 2, "OH", "432", ["614"], []),
    (DE, "Berlin", 20, None, (10115, 14199), ["30"], []),
    (DE, "Hamburg", 10, None, (20095, 22769), ["40"], []),
    (DE, "München", 9, None, (80331, 81929), ["89"], ["Munich", "Muenchen"]),
    (DE, "Köln", 7, None, (50667, 51149), ["221"], ["Cologne", "Koeln"]),
    (DE, "Frankfurt am Main", 6, None, (60306, 60599), ["69"], ["Frankfurt", "Frankfurt a.M."]),
    (DE, "Stuttgart", 5, None, (70173, 70629), ["711"], []),
    (DE, "Düsseldorf", 5, None, (40210, 40629), ["211"], ["Duesseldorf", "Dusseldorf"]),
    (DE, "Leipzig", 4, None, (4103, 4357), ["341"], []),
    (DE, "Dresden", 4, None, (1067, 1328), ["351"], []),
    (DE, "Hannover", 4, None, (30159, 30669), ["511"], ["Hanover"]),
    (DE, "Nürnberg", 4, None, (90402, 90491), ["911"], ["Nuremberg", "Nuernberg"]),
    (DE, "Bremen", 3, None, (28195, 28779), ["421"], []),
    (FR, "Paris", 30, None, (75001, 75020), ["1"], ["PARIS"]),
    (FR, "Marseille", 8, None, (13001, 13016), ["4"], []),
    (FR, "Lyon", 8, None, (69001, 69009), ["4"], []),
    (FR, "Toulouse", 6, None, (31000, 31500), ["5"], []),
    (FR, "Nice", 5, None, (6000, 6300), ["4"], []),
    (FR, "Nantes", 5, None, (44000, 44300), ["2"], []),
    (FR, "Strasbourg", 4, None, (67000, 67200), ["3"], []),
    (FR, "Montpellier", 4, None, (34000, 34090), ["4"], []),
    (FR, "Bordeaux", 5, None, (33000, 33800), ["5"], []),
    (FR, "Lille", 5, None, (59000, 59800), ["3"], []),
]
US_STATE_NAMES = {"NY": "New York", "CA": "California", "IL": "Illinois", "TX": "Texas", "AZ": "Arizona",
                  "PA": "Pennsylvania", "WA": "Washington", "CO": "Colorado", "MA": "Massachusetts",
                  "GA": "Georgia", "FL": "Florida", "OR": "Oregon", "MN": "Minnesota", "TN": "Tennessee",
                  "OH": "Ohio"}

# Mobile number prefixes (national significant number), validated against phonenumbers.
_MOBILE_SPECS: dict[int, list[tuple[str, int, tuple[int, ...]]]] = {
    GB: [(f"7{d}", 8, (4, 6)) for d in "456789"],
    IE: [(p, 7, (2, 3, 4)) for p in ("83", "85", "86", "87", "89")],
    US: [],  # US mobiles are not distinguishable: use the city's area codes
    DE: [(p, 8, (3, 8)) for p in ("151", "152", "157", "159")]
    + [(p, 7, (3, 7)) for p in ("160", "162", "163", "170", "171", "172", "173", "174", "175", "176", "177", "178",
                                "179")],
    FR: [(f"6{d}", 7, (1, 2, 2, 2, 2)) for d in "0123456789"] + [(f"7{d}", 7, (1, 2, 2, 2, 2)) for d in "3456789"],
}
_CC = {GB: "44", IE: "353", US: "1", DE: "49", FR: "33"}

# Phone renderings. Every format parses back (phonenumbers, region = record country).
PHONE_FORMATS = ["e164", "intl_sp", "nat_sp", "nat_compact", "intl_00", "intl_p0", "dashed",
                 "dotted", "parens", "nsn_only", "cc_sp"]
PF = {name: i for i, name in enumerate(PHONE_FORMATS)}
JUNK_PHONES = ["n/a", "000", "unknown", "0000000000", "123", "tbc"]

EMAIL_DOMAINS = ["gmail.com", "googlemail.com", "hotmail.co.uk", "outlook.com", "yahoo.com", "yahoo.co.uk",
                 "icloud.com", "btinternet.com", "live.co.uk", "sky.com", "aol.com", "virginmedia.com",
                 "hotmail.com", "eircom.net", "live.ie", "comcast.net", "web.de", "gmx.de", "t-online.de",
                 "yahoo.de", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "sfr.fr", "yahoo.fr"]
_DOM = {d: i for i, d in enumerate(EMAIL_DOMAINS)}
_DOMAIN_P = {
    GB: {"gmail.com": .30, "hotmail.co.uk": .13, "outlook.com": .10, "yahoo.com": .05, "yahoo.co.uk": .06,
         "icloud.com": .09, "btinternet.com": .08, "googlemail.com": .04, "live.co.uk": .04, "sky.com": .04,
         "aol.com": .02, "virginmedia.com": .05},
    IE: {"gmail.com": .38, "hotmail.com": .15, "outlook.com": .10, "yahoo.com": .08, "icloud.com": .10,
         "eircom.net": .10, "live.ie": .09},
    US: {"gmail.com": .42, "yahoo.com": .16, "outlook.com": .08, "hotmail.com": .08, "icloud.com": .14,
         "aol.com": .06, "comcast.net": .06},
    DE: {"gmail.com": .22, "web.de": .25, "gmx.de": .22, "t-online.de": .12, "outlook.com": .08,
         "yahoo.de": .05, "icloud.com": .06},
    FR: {"gmail.com": .30, "orange.fr": .22, "free.fr": .12, "hotmail.fr": .12, "laposte.net": .08,
         "sfr.fr": .08, "yahoo.fr": .08},
}
WORK_DOMAINS = ["brightwater-consulting.co.uk", "harbourlogistics.com", "kestrel-media.co.uk",
                "greenfield-health.org", "lumenbank.com", "atlas-engineering.de", "bureau-lyon.fr"]
PLUS_TAGS = ["shop", "news", "nw", "orders", "promo", "2023", "deals"]
SHOP_DOMAIN = "northwind-outfitters.com"

CATEGORIES = ["apparel", "footwear", "outdoor", "accessories", "home", "kids", "travel"]
_CATEGORY_P = [0.32, 0.14, 0.18, 0.14, 0.08, 0.08, 0.06]
_PRODUCT_NOUNS: dict[str, list[tuple[str, float, float]]] = {
    "apparel": [("T-Shirt", 12, 30), ("Merino Base Layer", 35, 80), ("Fleece Jacket", 40, 110), ("Hoodie", 30, 70),
                ("Waterproof Jacket", 80, 280), ("Down Jacket", 120, 320), ("Walking Trousers", 40, 95),
                ("Shorts", 20, 50), ("Flannel Shirt", 30, 60), ("Knit Jumper", 45, 120),
                ("Softshell Jacket", 70, 160), ("Leggings", 25, 60)],
    "footwear": [("Walking Boots", 90, 210), ("Trail Running Shoes", 80, 160), ("Approach Shoes", 90, 150),
                 ("Sandals", 30, 80), ("Wellington Boots", 35, 90), ("Chelsea Boots", 110, 190), ("Slippers", 20, 45)],
    "outdoor": [("2-Person Tent", 120, 450), ("4-Person Tent", 220, 700), ("Sleeping Bag", 50, 260),
                ("Sleeping Mat", 30, 140), ("Backpack 30L", 50, 160), ("Backpack 60L", 110, 260),
                ("Trekking Poles", 35, 110), ("Camping Stove", 30, 120), ("Headtorch", 20, 70),
                ("Water Filter", 25, 60)],
    "accessories": [("Beanie", 12, 30), ("Gloves", 15, 60), ("Hiking Socks", 10, 22), ("Sunglasses", 25, 140),
                    ("Leather Belt", 20, 55), ("Neck Gaiter", 12, 25), ("Cap", 15, 30), ("Water Bottle", 12, 35),
                    ("Dry Bag", 12, 40), ("Wallet", 20, 60)],
    "home": [("Wool Throw", 45, 120), ("Enamel Mug", 10, 18), ("Scented Candle", 15, 40), ("Cushion Cover", 18, 40),
             ("Picnic Blanket", 30, 70), ("Insulated Flask", 20, 45), ("Doormat", 18, 40)],
    "kids": [("Kids Waterproof Jacket", 30, 70), ("Kids Walking Boots", 35, 65), ("Kids Fleece", 20, 40),
             ("Kids Backpack", 20, 45), ("Kids Wellies", 18, 35)],
    "travel": [("Duffel Bag 60L", 60, 150), ("Packing Cubes", 20, 40), ("Travel Pillow", 15, 35),
               ("Wheeled Holdall", 120, 260), ("Washbag", 15, 35)],
}
_PRODUCT_LINES = ["Alpine", "Ridge", "Coastal", "Highland", "Summit", "Glen", "Fjord", "Moor", "Harbour", "Ember",
                  "Tor", "Cairn"]
_COLOURS = ["Black", "Navy", "Olive", "Slate", "Rust", "Forest Green", "Sand", "Charcoal", "Ochre", "Sky Blue"]
_BRANDS = ["Northwind", "Northwind", "Fjellstad", "Coastline", "Summit & Co", "Harbour Lane"]

UA_STRINGS = [  # (platform, device_type, user agent)
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    (0, 0, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
           " (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"),
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"),
    (0, 1, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
           " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    (0, 1, "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"),
    (0, 1, "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36"),
    (0, 2, "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
           " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    (0, 2, "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36"
           " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    (1, 1, "NorthwindOutfitters/5.3.1 (iPhone; iOS 17.4.1; Scale/3.00)"),
    (1, 1, "NorthwindOutfitters/5.2.0 (iPhone; iOS 16.7.2; Scale/3.00)"),
    (1, 2, "NorthwindOutfitters/5.3.1 (iPad; iOS 17.4.1; Scale/2.00)"),
    (2, 1, "NorthwindOutfitters/5.3.0 (Android 14; SM-S918B)"),
    (2, 1, "NorthwindOutfitters/5.1.2 (Android 13; Pixel 7)"),
    (2, 2, "NorthwindOutfitters/5.3.0 (Android 12; SM-T870)"),
]
PLATFORMS = ["web", "ios", "android"]
DEVICE_TYPES = ["desktop", "mobile", "tablet"]
EVENT_TYPES = ["page_view", "product_view", "add_to_cart", "checkout_started", "order_completed", "app_open", "login"]
EV_PAGE, EV_PRODUCT, EV_CART, EV_CHECKOUT, EV_DONE, EV_APP, EV_LOGIN = range(7)
PAGES = ["/", "/sale", "/new-in", "/search", "/account", "/stores", "/help/delivery"] + [f"/c/{c}" for c in CATEGORIES]
UTM_SOURCES = [None, "google", "facebook", "instagram", "awin", "criteo", "email", "newsletter"]
UTM_P = [0.50, 0.24, 0.07, 0.06, 0.06, 0.04, 0.0, 0.03]
UTM_EMAIL = UTM_SOURCES.index("email")
SPEND_CHANNELS = ["paid_search", "paid_social", "email", "affiliate", "display"]

_CAMPAIGN_THEMES = {
    1: ["January Sale", "New Year, New Gear"], 2: ["Valentine's Gifts", "Winter Clearance"],
    3: ["Spring Collection", "Mother's Day Gifts"], 4: ["Easter Weekend", "Trail Season"],
    5: ["Bank Holiday Offer", "Camping Essentials"], 6: ["Father's Day", "Summer Sale"],
    7: ["Summer Sale: Final Days", "Festival Kit"], 8: ["Back to School", "Late Summer Offer"],
    9: ["Autumn Collection", "Outdoor Week"], 10: ["Waterproofs Week", "Half-Term Adventures"],
    11: ["Black Friday", "Cyber Monday"], 12: ["Christmas Gift Guide", "Last Order Dates"],
}
_CAMPAIGN_GENERIC = ["New Arrivals", "Members Exclusive", "Weekend Flash Sale", "Product Spotlight",
                     "Staff Picks", "Free Delivery Weekend"]

TICKET_CHANNELS = ["email", "phone", "chat", "web_form"]
TICKET_CATEGORIES = ["delivery", "returns", "payment", "product", "account", "other"]
TICKET_PRIORITIES = ["low", "normal", "high", "urgent"]
TICKET_STATUSES = ["new", "open", "pending", "solved", "closed"]
_TICKET_SUBJECTS = {
    "delivery": ["Where is my order?", "Parcel not arrived", "Delivery delayed", "Wrong address on delivery",
                 "Courier says delivered but nothing here"],
    "returns": ["How do I return an item?", "Refund not received", "Return label not working",
                "Exchange for a different size"],
    "payment": ["Charged twice", "Payment declined", "Klarna payment question", "Discount code not applied"],
    "product": ["Zip broke after two weeks", "Size guide question", "Is this jacket waterproof?",
                "Item arrived damaged", "Boots leaking"],
    "account": ["Can't log in", "Change my email address", "Delete my account", "Unsubscribe me please",
                "Update my address"],
    "other": ["Store opening hours", "Gift card balance", "Feedback", "Question"],
}
ORDER_STATUSES = ["placed", "shipped", "delivered", "cancelled", "returned"]
PAY_METHODS = ["card", "paypal", "klarna", "apple_pay", "google_pay"]
CARD_BRANDS = ["visa", "mastercard", "amex"]
FAILURE_CODES = ["card_declined", "insufficient_funds", "expired_card", "incorrect_cvc", "processing_error"]
REFUND_REASONS = ["requested_by_customer", "duplicate", "fraudulent", "product_return"]
