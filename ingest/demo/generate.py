"""Seeded, scalable demo data for *Northwind Outfitters* (contract: ``FORMATS.md``).

Why it is built this way:

* The whole world (people, their records in every system, their activity up to
  2025-09-30) is derived from ``(seed, people)`` alone; a batch is only a time-window
  view of that world. So batch 2 is consistent with batch 1 whatever order they are
  written in, and writing a batch twice gives byte-identical files.
* Everything big is vectorised: numpy draws the numbers, pyarrow compute kernels build
  the strings, pyarrow writes CSV/Parquet, and JSON lines are assembled as Arrow
  strings. Per-event randomness in the web stream comes from a counter-based hash, so
  any slice of sessions can be expanded independently (bounded memory, parts of ~1M
  rows).
* The mess (typos, nicknames, formats, duplicates, bad rows) is applied per record with
  seeded codes, and the ground truth keeps the true person behind every record.

CLI: ``python -m ingest.demo.generate --out data/demo --people 5000 --seed 42 --batch 1``
"""

from __future__ import annotations

import functools
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

# --------------------------------------------------------------------------------------
# Time line
# --------------------------------------------------------------------------------------
DAY = 86_400
YEAR = 365.25 * DAY


def _epoch(s: str) -> int:
    return int(datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp())


T_START = _epoch("2023-01-01T00:00:00")
BATCH_END = {1: _epoch("2025-06-30T23:59:59"), 2: _epoch("2025-09-30T23:59:59")}
BATCH_START = {1: T_START, 2: BATCH_END[1] + 1}
WORLD_END = BATCH_END[2]
NEVER = np.int64(2**62)
BATCHES = (1, 2)
EVENTS_PER_PART = 1_000_000

# --------------------------------------------------------------------------------------
# Vocabulary (no Faker: small, hand-made lists)
# --------------------------------------------------------------------------------------
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

_EN_F = ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Margaret", "Betty", "Sandra", "Ashley", "Dorothy", "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy", "Shirley", "Angela", "Helen", "Anna", "Brenda", "Pamela", "Nicole", "Samantha", "Katherine", "Emma", "Ruth", "Christine", "Catherine", "Rachel", "Janet", "Virginia", "Maria", "Heather", "Diane", "Julie", "Joyce", "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan", "Cheryl", "Andrea", "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Teresa", "Kathryn", "Sara", "Janice", "Jean", "Alice", "Madison", "Doris", "Abigail", "Julia", "Grace", "Denise", "Amber", "Marilyn", "Beverly", "Danielle", "Theresa", "Sophie", "Marie", "Diana", "Natalie", "Isabella", "Charlotte", "Rose", "Alexandra", "Amelia", "Chloe", "Lucy", "Ella", "Mia", "Poppy", "Freya", "Isla", "Lily", "Ava", "Eleanor", "Gillian", "Nicola", "Claire", "Joanne", "Tracey", "Alison", "Louise", "Kirsty", "Gemma", "Leanne", "Hayley", "Zoe", "Jade", "Paula", "Wendy", "Josephine", "Sophia", "Harriet", "Imogen", "Georgia", "Holly", "Jasmine", "Ellie", "Katie", "Caroline", "Fiona", "Joanna", "Susanne", "Lorraine", "Dawn", "Julia", "Yvonne", "Elaine", "Maureen", "Sheila", "Valerie", "Rita", "Jill", "Hazel"]
_EN_M = ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher", "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander", "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Adam", "Nathan", "Henry", "Zachary", "Douglas", "Peter", "Kyle", "Noah", "Ethan", "Jeremy", "Walter", "Christian", "Keith", "Roger", "Terry", "Austin", "Sean", "Gerald", "Carl", "Harold", "Dylan", "Arthur", "Lawrence", "Jordan", "Jesse", "Bryan", "Bruce", "Gabriel", "Logan", "Alan", "Albert", "Elijah", "Wayne", "Randy", "Vincent", "Mason", "Roy", "Ralph", "Russell", "Bradley", "Philip", "Eugene", "Oliver", "Harry", "Charlie", "Freddie", "Alfie", "Archie", "Leo", "Oscar", "Theo", "Jake", "Callum", "Liam", "Lewis", "Connor", "Luke", "Owen", "Rhys", "Jamie", "Craig", "Darren", "Gareth", "Neil", "Stuart", "Ian", "Graham", "Colin", "Martin", "Simon", "Nigel", "Trevor", "Barry", "Frederick", "Joe", "Billy", "Toby", "Max", "Louis", "Hugo", "Reuben", "Rory", "Dominic", "Marcus", "Edmund", "Duncan", "Alistair", "Hamish", "Fraser", "Ewan"]
_IE_F = ["Siobhán", "Niamh", "Aoife", "Róisín", "Orla", "Ciara", "Sinéad", "Aisling", "Caoimhe", "Saoirse", "Gráinne", "Clodagh", "Deirdre", "Eimear", "Máire"]
_IE_M = ["Seán", "Ciarán", "Pádraig", "Eoin", "Declan", "Conor", "Cian", "Darragh", "Oisín", "Colm", "Diarmuid", "Fionn", "Ronan", "Cathal", "Dónal", "Niall", "Shane", "Eamon"]
_DE_F = ["Anna", "Maria", "Ursula", "Monika", "Petra", "Elisabeth", "Sabine", "Renate", "Helga", "Karin", "Brigitte", "Ingrid", "Erika", "Andrea", "Gisela", "Claudia", "Susanne", "Gabriele", "Christa", "Christine", "Birgit", "Barbara", "Julia", "Stefanie", "Katharina", "Lena", "Laura", "Lea", "Leonie", "Hannah", "Sophie", "Sarah", "Johanna", "Franziska", "Nicole", "Sandra", "Melanie", "Anja", "Jana", "Jürgen"][:-1]
_DE_M = ["Peter", "Michael", "Wolfgang", "Thomas", "Klaus", "Jürgen", "Andreas", "Hans", "Stefan", "Christian", "Uwe", "Werner", "Frank", "Bernd", "Dieter", "Horst", "Manfred", "Gerhard", "Ralf", "Matthias", "Markus", "Sebastian", "Tobias", "Jan", "Lukas", "Maximilian", "Felix", "Jonas", "Leon", "Paul", "Alexander", "Daniel", "Florian", "Johannes", "Tim", "Niklas", "Philipp", "Moritz", "Simon", "Dominik", "Fabian", "Kai", "Holger", "Jens", "Dirk", "Torsten", "Sven", "Oliver", "Jörg"]
_FR_F = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique", "Valérie", "Sophie", "Sandrine", "Stéphanie", "Véronique", "Céline", "Chantal", "Camille", "Julie", "Aurélie", "Émilie", "Laura", "Manon", "Léa", "Chloé", "Inès", "Sarah", "Emma", "Juliette", "Lucie", "Pauline", "Mathilde", "Élodie", "Claire", "Anne", "Hélène", "Margaux", "Océane", "Clémence", "Charlotte", "Caroline", "Virginie"]
_FR_M = ["Jean", "Philippe", "Michel", "Alain", "Nicolas", "Christophe", "Patrick", "Pierre", "Daniel", "Éric", "Frédéric", "Laurent", "Stéphane", "Pascal", "Julien", "David", "Sébastien", "Thierry", "Thomas", "Olivier", "François", "Guillaume", "Antoine", "Maxime", "Alexandre", "Romain", "Hugo", "Lucas", "Louis", "Théo", "Mathieu", "Vincent", "Benoît", "Jérôme", "Cédric", "Quentin", "Baptiste", "Florian", "Arnaud", "Damien", "Yann", "Gabriel", "Raphaël", "Arthur", "Jules"]

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

_EN_LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor", "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers", "Griffin", "Sharp", "Hardy", "Wheeler", "Potter", "Osborne", "Johnston", "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson", "Rowe", "Burke", "May", "Pritchard", "Gilbert", "Willis", "Higgins", "Read", "Miles", "Stevenson", "Stephenson", "Hammond", "Arnold", "Buckley", "Walters", "Hewitt", "Barber", "Nelson", "Slater", "Austin", "Sullivan", "Whitehead", "Mann", "Frost", "Lambert", "Stephens", "Blake", "Akhtar", "Lynch", "Goodwin", "Barton", "Woodward", "Thomson", "Cunningham", "Quinn", "Barnett", "Baxter", "Clayton", "Nash", "Greenwood", "Jennings", "Holt", "Kemp", "Poole", "Gallagher", "Bond", "Stokes", "Tucker", "Davidson", "Fowler", "Heath", "Norman", "Middleton", "Lawson", "Banks", "French", "Stanley", "Jarvis", "Gibbs", "Ferguson", "Hayward", "Carroll", "Douglas", "Dickinson", "Todd", "Barlow", "Peters", "Lucas", "Knowles", "Hartley", "Miah", "Simmons", "Morton", "Alexander", "Field", "Morrison", "Norris", "Townsend", "Preston", "Hancock", "Thornton", "Baldwin", "Burrows", "Briggs", "Storey", "Pollard", "Ashworth", "Whitaker", "Ainsworth", "Fairbairn", "Smith-Jones", "Lloyd-Webber"]
_US_LAST = ["Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Nguyen", "Kim", "Washington", "Gomez", "Diaz", "Reyes", "Cruz", "Ortiz", "Chen", "Wang", "Le", "Tran", "Park"]
_IE_LAST = ["Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor", "O'Neill", "O'Reilly", "Doyle", "McCarthy", "Gallagher", "O'Doherty", "Kennedy", "Lynch", "Murray", "Quinn", "Moore", "McLoughlin", "O'Carroll", "Connolly", "Daly", "O'Connell", "Dunne", "Brennan", "Burke", "Fitzgerald", "Maguire", "Nolan", "Flynn", "O'Callaghan", "O'Donnell", "Duffy", "O'Mahony", "Boyle", "Healy", "O'Shea", "Sweeney", "Kavanagh", "Power", "McGrath", "Moran", "Brady", "Casey", "Foley", "Fitzpatrick", "O'Leary", "McDonnell", "Donnelly", "Regan", "Donovan", "Flanagan", "Mullan", "Kane", "Kenny", "Sheehan", "Whelan", "Lyons", "Cullen", "Keane", "Maher", "McKenna", "Hogan", "O'Keeffe", "Magee", "McNamara", "O'Rourke", "O'Dwyer"]
_DE_LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas"]
_FR_LAST = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire", "Noël", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Brunet", "Gaillard", "Barbier", "Arnaud", "Gérard", "Roche", "Renard", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Bourgeois", "Benoît", "Leclerc", "Dupuis", "Le", "Gall", "Le", "Roux"]
_FR_LAST = [s for s in _FR_LAST if s not in ("Le",)] + ["Le Gall", "Le Roux", "Da Silva"]
_FR_LAST = [s for s in _FR_LAST if s not in ("Gall", "Roux")] + ["Roux"]

_GB_STREET_BASE = ["High", "Station", "Church", "Victoria", "Park", "Manor", "Queens", "Kings", "Mill", "School", "North", "South", "London", "Albert", "Green", "Chapel", "Windsor", "York", "Springfield", "Grange", "Orchard", "Meadow", "Highfield", "Cedar", "Elm", "Oak", "Willow", "Beech", "Ash", "Alexandra", "Richmond", "Cambridge", "Mount", "Brook", "Hill", "Forest", "Stanley", "Clarence", "Salisbury", "Marlborough", "Wellington", "Nelson", "Balmoral", "Hawthorn", "Primrose", "Rose", "Lime", "Sycamore", "Birch", "Chestnut", "Holly", "Westfield", "Broad", "West", "New", "Bridge", "Market", "Castle", "Abbey", "Priory", "Riverside"]
_GB_TYPES = [("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"), ("Avenue", "Ave"), ("Close", "Cl"),
             ("Drive", "Dr"), ("Gardens", "Gdns"), ("Crescent", "Cres"), ("Place", "Pl"),
             ("Court", "Ct"), ("Terrace", "Terr"), ("Grove", "Gr"), ("Way", "Way")]
_IE_STREET_BASE = ["Main", "Strand", "O'Connell", "Pearse", "Parnell", "Grafton", "Dame", "Harcourt", "Leeson", "Patrick", "Clontarf", "Rathmines", "Ranelagh", "Glasnevin", "Drumcondra", "Sandymount", "Church", "Station", "Castle", "Bridge", "Mill", "Park", "Green", "Abbey", "Chapel", "Sarsfield", "Emmet", "Davitt"]
_IE_TYPES = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Park", "Pk"), ("Drive", "Dr"),
             ("Lane", "Ln"), ("Terrace", "Tce"), ("Grove", "Gr"), ("Court", "Ct")]
_US_STREET_BASE = ["Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Lincoln", "Jefferson", "Madison", "Franklin", "Highland", "Forest", "River", "Spring", "Church", "Walnut", "Chestnut", "Willow", "Meadow", "Center", "Union", "Jackson", "Adams", "Ridge", "Valley", "Broadway", "Market", "Cherry", "Lakeview", "Hillcrest"] + [
    "1st", "2nd", "3rd", "5th", "Fifth", "Second"]
_US_TYPES = [("Street", "St"), ("Avenue", "Ave"), ("Boulevard", "Blvd"), ("Drive", "Dr"),
             ("Road", "Rd"), ("Lane", "Ln"), ("Court", "Ct"), ("Place", "Pl"), ("Way", "Way")]
_DE_STREETS = ["Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Bergstraße", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße", "Goethestraße", "Friedrichstraße", "Mozartstraße", "Beethovenstraße", "Lindenweg", "Birkenweg", "Rosenweg", "Feldweg", "Wiesenweg", "Ahornweg", "Kantstraße", "Uhlandstraße", "Poststraße", "Marktplatz", "Kaiserstraße", "Wilhelmstraße", "Luisenstraße", "Parkstraße", "Blumenstraße", "Talstraße", "Sonnenstraße", "Mühlenweg", "Brunnenstraße", "Industriestraße"] + [
    "Berliner Straße", "Hamburger Straße", "Münchner Straße", "Am Markt", "Alte Gasse"]
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
    (GB, "London", 30, None, "E1 E14 E17 N1 N7 N16 NW1 NW3 NW6 SE1 SE15 SE22 SW1A SW4 SW11 SW19 W1T W2 W5 W12 EC1V WC1N", ["20"], ["LONDON", "Greater London"]),
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
    DE: [(p, 8, (3, 8)) for p in ("151", "152", "157", "159")] + [(p, 7, (3, 7)) for p in ("160", "162", "163", "170", "171", "172", "173", "174", "175", "176", "177", "178", "179")],
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
                ("Trekking Poles", 35, 110), ("Camping Stove", 30, 120), ("Headtorch", 20, 70), ("Water Filter", 25, 60)],
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
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    (0, 0, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"),
    (0, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"),
    (0, 1, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    (0, 1, "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"),
    (0, 1, "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36"),
    (0, 2, "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    (0, 2, "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
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

# --------------------------------------------------------------------------------------
# Small numeric and string helpers
# --------------------------------------------------------------------------------------
NULL = pa.scalar(None, pa.string())
_U64 = np.uint64


def _rng(seed: int, *names: str) -> np.random.Generator:
    """Independent, named random stream: adding a stream never shifts the others."""
    return np.random.default_rng([abs(int(seed))] + [zlib.crc32(n.encode()) for n in names])


def _mix64(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 finaliser: a bijection, so distinct keys give distinct ids."""
    z = np.asarray(x).astype(np.uint64) ^ _U64(salt & 0xFFFFFFFFFFFFFFFF)
    z = z + _U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    return z ^ (z >> _U64(31))


def _unif(h: np.ndarray) -> np.ndarray:
    return (h >> _U64(11)).astype(np.float64) * (1.0 / 2**53)


def _pick(rng: np.random.Generator, n: int, p: Sequence[float]) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    return np.searchsorted(np.cumsum(p / p.sum()), rng.random(n), side="right").clip(0, len(p) - 1)


def _zipf(n: int, s: float = 0.9, k: float = 2.0) -> np.ndarray:
    w = 1.0 / (np.arange(n) + k) ** s
    return w / w.sum()


def _sa(mat: np.ndarray) -> pa.Array:
    """Fixed-width ASCII matrix (n, w) -> Arrow string array, zero copy of the bytes."""
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    n, w = mat.shape
    off = np.arange(0, (n + 1) * w, w, dtype=np.int64)
    if off[-1] < 2**31:
        return pa.StringArray.from_buffers(n, pa.py_buffer(off.astype(np.int32)), pa.py_buffer(mat.reshape(-1)))
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(off), pa.py_buffer(mat.reshape(-1))).cast(pa.string())


def _sa_right(mat: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """Right-aligned matrix rows keeping only the last `lengths` bytes of each row."""
    n, w = mat.shape
    keep = np.arange(w)[None, :] >= (w - lengths)[:, None]
    data = np.ascontiguousarray(mat)[keep]
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=off[1:])
    return pa.StringArray.from_buffers(n, pa.py_buffer(off.astype(np.int32)), pa.py_buffer(data))


def _digits(v: np.ndarray, width: int) -> np.ndarray:
    v = np.asarray(v, dtype=np.int64).copy()
    out = np.empty((len(v), width), dtype=np.uint8)
    for i in range(width - 1, -1, -1):
        out[:, i] = v % 10 + 48
        v //= 10
    return out


def _int_str(v: np.ndarray) -> pa.Array:
    """Non-negative integers -> decimal strings without padding."""
    v = np.asarray(v, dtype=np.int64)
    if len(v) == 0:
        return pa.array([], pa.string())
    width = max(1, len(str(int(v.max()))))
    lens = np.ones(len(v), dtype=np.int64)
    t = v // 10
    while (t > 0).any():
        lens += t > 0
        t //= 10
    return _sa_right(_digits(v, width), lens)


def _fixed_int(v: np.ndarray, width: int) -> pa.Array:
    return _sa(_digits(v, width))


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_B62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def _hex_mat(h: np.ndarray, nibbles: int = 16) -> np.ndarray:
    h = np.asarray(h, dtype=np.uint64)
    out = np.empty((len(h), nibbles), dtype=np.uint8)
    for i in range(nibbles):
        out[:, nibbles - 1 - i] = _HEX[((h >> _U64(4 * i)) & _U64(15)).astype(np.int64)]
    return out


def _b62_mat(h: np.ndarray, width: int) -> np.ndarray:
    h = np.asarray(h, dtype=np.uint64).copy()
    out = np.empty((len(h), width), dtype=np.uint8)
    for i in range(width - 1, -1, -1):
        out[:, i] = _B62[(h % _U64(62)).astype(np.int64)]
        h //= _U64(62)
    return out


def _lit(s: str, n: int) -> np.ndarray:
    return np.broadcast_to(np.frombuffer(s.encode(), dtype=np.uint8), (n, len(s.encode())))


def _cat(*parts: Any) -> pa.Array:
    """Concatenate strings element-wise (a null part makes the result null)."""
    return pc.binary_join_element_wise(*parts, "")


def _where(mask: np.ndarray, a: Any, b: Any) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def _take(arr: pa.Array, idx: np.ndarray) -> pa.Array:
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64)))


def _vocab(items: Sequence[str | None]) -> pa.Array:
    return pa.array(list(items), type=pa.string())


def _scatter(n: int, parts: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """Put per-group results back into row order (groups must cover all n rows)."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return pa.nulls(n, pa.string())
    idx = np.concatenate([p[0] for p in parts])
    arr = pa.concat_arrays([p[1].cast(pa.string()) for p in parts])
    inv = np.empty(n, dtype=np.int64)
    inv[idx] = np.arange(len(idx))
    return _take(arr, inv)


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Days since 1970-01-01 -> (year, month, day); Howard Hinnant's algorithm."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, d


def _fmt_time(t: np.ndarray, fmt: str) -> pa.Array:
    """strftime for int64 epoch seconds (%Y %m %d %H %M %S), ~50x faster than pc.strftime."""
    t = np.asarray(t, dtype=np.int64)
    n = len(t)
    days = t // DAY
    sec = t - days * DAY
    y, m, d = _civil(days)
    fields = {"Y": (y, 4), "m": (m, 2), "d": (d, 2), "H": (sec // 3600, 2), "M": (sec // 60 % 60, 2),
              "S": (sec % 60, 2)}
    blocks, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            v, w = fields[fmt[i + 1]]
            blocks.append(_digits(v, w))
            i += 2
        else:
            j = fmt.find("%", i)
            j = len(fmt) if j < 0 else j
            blocks.append(_lit(fmt[i:j], n))
            i = j
    return _sa(np.concatenate(blocks, axis=1)) if n else pa.array([], pa.string())


def _money(cents: np.ndarray, sep: str = ".") -> pa.Array:
    cents = np.asarray(cents, dtype=np.int64)
    a = np.abs(cents)
    s = _cat(_int_str(a // 100), sep, _fixed_int(a % 100, 2))
    return _where(cents < 0, _cat("-", s), s)


def _opt_time(t: np.ndarray, fmt: str) -> pa.Array:
    ok = t < NEVER
    return _where(ok, _fmt_time(np.where(ok, t, 0), fmt), NULL)


def _sql_time(t: np.ndarray) -> pa.Array:
    return _fmt_time(t, "%Y-%m-%d %H:%M:%S")


# DST boundaries (UTC) to render local times with their offsets.
def _last_sunday(y: int, m: int) -> datetime:
    d = datetime(y, m + 1, 1) - timedelta(days=1) if m < 12 else datetime(y, 12, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def _nth_sunday(y: int, m: int, n: int) -> datetime:
    d = datetime(y, m, 1)
    return d + timedelta(days=(6 - d.weekday()) % 7 + 7 * (n - 1))


_EU_DST = [(_epoch(_last_sunday(y, 3).strftime("%Y-%m-%dT01:00:00")),
            _epoch(_last_sunday(y, 10).strftime("%Y-%m-%dT01:00:00"))) for y in range(2022, 2027)]
_US_DST = [(_epoch(_nth_sunday(y, 3, 2).strftime("%Y-%m-%dT07:00:00")),
            _epoch(_nth_sunday(y, 11, 1).strftime("%Y-%m-%dT06:00:00"))) for y in range(2022, 2027)]


def _in_dst(t: np.ndarray, table: list[tuple[int, int]]) -> np.ndarray:
    out = np.zeros(len(t), dtype=bool)
    for a, b in table:
        out |= (t >= a) & (t < b)
    return out


TZ_UK, TZ_US, TZ_CET = range(3)


def _fmt_local(t: np.ndarray, tz: np.ndarray, fmt: str, z_for_utc: bool = True) -> pa.Array:
    """Render UTC instants as local wall time with an explicit offset (Z, +01:00, -05:00...)."""
    eu = _in_dst(t, _EU_DST)
    usd = _in_dst(t, _US_DST)
    off_h = np.select([tz == TZ_UK, tz == TZ_US], [eu.astype(np.int64), np.where(usd, -4, -5)],
                      1 + eu.astype(np.int64))
    body = _fmt_time(t + off_h * 3600, fmt)
    suffix = _take(_vocab(["-05:00", "-04:00", "Z" if z_for_utc else "+00:00", "+01:00", "+02:00"]), off_h + 5)
    return _cat(body, suffix)


def _group_starts(counts: np.ndarray) -> np.ndarray:
    s = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=s[1:])
    return s


def _pos_in_group(counts: np.ndarray) -> np.ndarray:
    return np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(_group_starts(counts), counts)


def _group_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    cs = np.cumsum(values)
    before = cs - values
    return cs - np.repeat(before[_group_starts(counts)], counts)


# --------------------------------------------------------------------------------------
# Vocabulary tables (built once; independent of the seed)
# --------------------------------------------------------------------------------------
_FOLD1 = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_FOLD2 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss", "é": "e",
                        "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "î": "i", "ï": "i", "ô": "o",
                        "û": "u", "ù": "u", "ç": "c", "á": "a", "í": "i", "ó": "o", "ú": "u", "É": "E",
                        "Á": "A", "Ó": "O", "Í": "I", "Ú": "U", "Œ": "Oe", "œ": "oe"})
_KEY_NEIGHBOURS = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm",
                                        ["wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol",
                                         "qsz", "awdx", "sefc", "drgv", "fthb", "gyjn", "hukm", "jilm", "kop",
                                         "asx", "zsdc", "xdfv", "cfgb", "vghn", "bhjm", "njk"])}


def _ascii(s: str) -> str:
    return s.translate(_FOLD1).translate(_FOLD2)


def _username_part(s: str) -> str:
    return "".join(ch for ch in _ascii(s).lower() if ch.isalnum())


def _typos(s: str, k: int = 3) -> list[str]:
    """k plausible one-edit typos (transposition, deletion, doubling, neighbour key)."""
    r = random.Random(zlib.crc32(s.encode()))
    out: list[str] = []
    for _ in range(40):
        if len(out) == k:
            break
        if len(s) < 3:
            t = s + s[-1]
        else:
            i = r.randrange(1, len(s) - 1)
            op = r.randrange(4)
            if op == 0:
                t = s[:i] + s[i + 1] + s[i] + s[i + 2:]
            elif op == 1:
                t = s[:i] + s[i + 1:]
            elif op == 2:
                t = s[:i] + s[i] + s[i:]
            else:
                c = s[i].lower()
                nb = _KEY_NEIGHBOURS.get(c)
                if not nb:
                    continue
                t = s[:i] + r.choice(nb) + s[i + 1:]
        if t != s and t not in out and t.strip() and " " not in t.strip()[-1:]:
            out.append(t)
    while len(out) < k:
        out.append(s + s[-1] * (len(out) + 1))
    return out


@dataclass
class VariantTable:
    """Strings with per-entry variants: canonical, nicknames, ascii fold, typos."""

    strings: pa.Array
    canon: np.ndarray
    nick_start: np.ndarray
    nick_n: np.ndarray
    fold: np.ndarray
    typo_start: np.ndarray
    ascii_lower: pa.Array  # for usernames
    names: list[str]


def _variant_table(names: list[str], nick: dict[str, list[str]] | None = None) -> VariantTable:
    strings: list[str] = []
    canon, ns, nn, fold, ts = [], [], [], [], []
    for s in names:
        canon.append(len(strings))
        strings.append(s)
        nicks = (nick or {}).get(s, [])
        ns.append(len(strings))
        nn.append(len(nicks))
        strings.extend(nicks)
        a = s.translate(_FOLD2) if s.translate(_FOLD2) != s else s
        if a != s:
            fold.append(len(strings))
            strings.append(a)
        else:
            fold.append(canon[-1])
        ts.append(len(strings))
        strings.extend(_typos(s))
    return VariantTable(_vocab(strings), np.array(canon), np.array(ns), np.array(nn), np.array(fold),
                        np.array(ts), _vocab([_username_part(s) for s in names]), names)


@dataclass
class Vocab:
    first: VariantTable
    first_gender: np.ndarray
    first_pool: dict[tuple[str, int], np.ndarray]  # (pool, gender) -> candidate indices (by popularity)
    nick_user: pa.Array  # first-name nickname (or name) for usernames
    last: VariantTable
    last_pool: dict[str, np.ndarray]
    street: pa.Array  # 5 variants per street: canonical, abbreviated, ascii, typo, typo
    street_country: np.ndarray
    street_by_country: dict[int, np.ndarray]
    city_country: np.ndarray
    city_p: dict[int, tuple[np.ndarray, np.ndarray]]
    city: pa.Array  # 4 variants per city: canonical, alt, upper, typo
    city_state: pa.Array
    city_state_full: pa.Array
    city_specs: list[Any]
    phone_types: PhoneTypes


@dataclass
class PhoneTypes:
    country: np.ndarray
    prefix: np.ndarray  # int64
    sub_len: np.ndarray
    nsn_len: np.ndarray
    layout: np.ndarray  # index into layouts
    layouts: list[tuple[int, tuple[int, ...]]]  # (country, groups)
    mobile_by_country: dict[int, np.ndarray]
    mobile_by_city: dict[int, np.ndarray]  # US: mobiles share the city's area codes
    landline_by_city: dict[int, np.ndarray]


def _valid_prefix(country: int, prefix: str, sub_len: int, r: random.Random, tries: int = 8) -> bool:
    region = COUNTRIES[country]
    for _ in range(tries):
        nsn = prefix + "".join(str(r.randrange(10)) for _ in range(sub_len))
        if country == US and (nsn[4:6] == "11" or nsn[3:6] == "555"):
            continue
        try:
            num = phonenumbers.parse("+" + _CC[country] + nsn, region)
        except phonenumbers.NumberParseException:
            return False
        if not phonenumbers.is_valid_number(num):
            return False
    return True


def _build_phone_types(city_rows: list[Any]) -> PhoneTypes:
    """Number ranges per country/city, kept only where phonenumbers says they are valid."""
    r = random.Random(20240601)
    rows: list[tuple[int, str, int, tuple[int, ...], int, int]] = []  # country, prefix, sub, groups, kind, city

    def add(country: int, prefix: str, sub: int, groups: tuple[int, ...], kind: int, city: int) -> bool:
        if sub > 0 and _valid_prefix(country, prefix, sub, r):
            rows.append((country, prefix, sub, groups, kind, city))
            return True
        return False

    for c, specs in _MOBILE_SPECS.items():
        for prefix, sub, groups in specs:
            if c == GB:  # UK mobile ranges are allocated per 7xxx block
                for d in range(100):
                    add(c, f"{prefix}{d:02d}", sub - 2, groups, 0, -1)
            else:
                add(c, prefix, sub, groups, 0, -1)
    for ci, (c, _name, _w, _st, _spec, areas, _alt) in enumerate(city_rows):
        for area in areas:
            for d in "2345678":
                ie_len = (8,) if area in ("1", "91", "61", "51") else (9,)
                for nsn_len in {GB: (10,), IE: ie_len, US: (10,), DE: (10, 11), FR: (9,)}[c]:
                    if c == GB:
                        groups: tuple[int, ...] = {2: (2, 4, 4), 3: (3, 3, 4), 4: (4, 6)}[len(area)]
                    elif c == IE:
                        groups = (len(area), 3, nsn_len - len(area) - 3)
                    elif c == US:
                        groups = (3, 3, 4)
                    elif c == DE:
                        groups = (len(area), nsn_len - len(area))
                    else:
                        groups = (1, 2, 2, 2, 2)
                    sub = nsn_len - len(area) - 1
                    ok = add(c, area + d, sub, groups, 1, ci)
                    if c == US:  # US mobiles live in the same geographic area codes
                        add(c, area + d, sub, groups, 0, ci)
                    if ok:
                        break
    layouts: list[tuple[int, tuple[int, ...]]] = []
    lay_idx = []
    for c, _prefix, _sub, groups, _k, _ci in rows:
        if (c, groups) not in layouts:
            layouts.append((c, groups))
        lay_idx.append(layouts.index((c, groups)))
    country = np.array([x[0] for x in rows])
    kind = np.array([x[4] for x in rows])
    city = np.array([x[5] for x in rows])
    return PhoneTypes(
        country=country, prefix=np.array([int(x[1]) for x in rows], dtype=np.int64),
        sub_len=np.array([x[2] for x in rows]), nsn_len=np.array([len(x[1]) + x[2] for x in rows]),
        layout=np.array(lay_idx), layouts=layouts,
        mobile_by_country={c: np.flatnonzero((country == c) & (kind == 0) & (city < 0)) for c in range(5)},
        mobile_by_city={ci: np.flatnonzero((city == ci) & (kind == 0)) for ci in range(len(city_rows))},
        landline_by_city={ci: np.flatnonzero((city == ci) & (kind == 1)) for ci in range(len(city_rows))})


@functools.lru_cache(maxsize=1)
def _build_vocab() -> Vocab:
    first_entries: list[tuple[str, int, str]] = []
    for pool, fem, mal in (("en", _EN_F, _EN_M), ("ie", _IE_F, _IE_M), ("de", _DE_F, _DE_M), ("fr", _FR_F, _FR_M)):
        seen: set[tuple[str, int]] = set()
        for g, lst in ((0, fem), (1, mal)):
            for s in lst:
                if (s, g) not in seen:
                    seen.add((s, g))
                    first_entries.append((s, g, pool))
    first_names = [e[0] for e in first_entries]
    first = _variant_table(first_names, NICKNAMES)
    first_gender = np.array([e[1] for e in first_entries])
    first_pool = {}
    for pool in ("en", "ie", "de", "fr"):
        for g in (0, 1):
            first_pool[(pool, g)] = np.array([i for i, e in enumerate(first_entries) if e[2] == pool and e[1] == g])
    nick_user = _vocab([_username_part((NICKNAMES.get(s) or [s])[0]) for s in first_names])

    last_names: list[str] = []
    last_pool: dict[str, np.ndarray] = {}
    for pool, lst in (("en", _EN_LAST), ("us", _US_LAST), ("ie", _IE_LAST), ("de", _DE_LAST), ("fr", _FR_LAST)):
        idx = []
        for s in dict.fromkeys(lst):
            if s not in last_names:
                last_names.append(s)
            idx.append(last_names.index(s))
        last_pool[pool] = np.array(idx)
    last = _variant_table(last_names)

    streets: list[str] = []
    street_country: list[int] = []

    def add_street(c: int, full: str, abbr: str, base: str) -> None:
        t = _typos(base, 2)
        streets.extend([full, abbr, _ascii(full), full.replace(base, t[0]), full.replace(base, t[1])])
        street_country.append(c)

    for c, bases, types in ((GB, _GB_STREET_BASE, _GB_TYPES), (IE, _IE_STREET_BASE, _IE_TYPES),
                            (US, _US_STREET_BASE, _US_TYPES)):
        for b in bases:
            for full_t, abbr_t in types:
                add_street(c, f"{b} {full_t}", f"{b} {abbr_t}", b)
    for s in _DE_STREETS:
        abbr = s.replace("straße", "str.").replace("Straße", "Str.")
        add_street(DE, s, abbr, s.split()[0] if " " in s else s)
    for s in _FR_STREETS:
        abbr = s
        for a, b in _FR_ABBR:
            if s.startswith(a):
                abbr = b + s[len(a):]
                break
        add_street(FR, s, abbr, s.split()[-1])
    street_country_a = np.array(street_country)

    cities: list[str] = []
    for c, name, _w, _st, _spec, _areas, alt in _CITY_ROWS:
        alt_name = alt[0] if alt else name
        cities.extend([name, alt_name, name.upper(), _typos(name, 1)[0]])
    city_country = np.array([r[0] for r in _CITY_ROWS])
    city_p = {}
    for c in range(5):
        idx = np.flatnonzero(city_country == c)
        w = np.array([_CITY_ROWS[i][2] for i in idx], dtype=float)
        city_p[c] = (idx, w / w.sum())
    return Vocab(
        first=first, first_gender=first_gender, first_pool=first_pool, nick_user=nick_user, last=last,
        last_pool=last_pool, street=_vocab(streets), street_country=street_country_a,
        street_by_country={c: np.flatnonzero(street_country_a == c) for c in range(5)},
        city_country=city_country, city_p=city_p, city=_vocab(cities),
        city_state=_vocab([r[3] for r in _CITY_ROWS]),
        city_state_full=_vocab([US_STATE_NAMES.get(r[3] or "") for r in _CITY_ROWS]),
        city_specs=[r[4] for r in _CITY_ROWS], phone_types=_build_phone_types(_CITY_ROWS))
