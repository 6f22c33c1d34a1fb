// Words of generated titles, per business category, written after real PhilGEPS titles
// ("Concreting of barangay road ...", "Procurement of drugs and medicines ...", "Catering
// services for ..."), so keyword search finds what it finds in the real data. A template's
// {name} is replaced by a random entry of the list `name`: first the vocabulary's own
// lists, then COMMON_LISTS; {place} is the contract's area (a clean province name) and
// {year} its award year.
export type Vocabulary = { templates: string[]; lists?: Record<string, string[]> };

export const COMMON_LISTS: Record<string, string[]> = {
  brgy: ['San Isidro', 'Poblacion', 'San Jose', 'Santa Cruz', 'San Roque', 'Sto. Niño', 'Bagong Silang', 'Mabini', 'Rizal', 'San Vicente', 'Malinao', 'Bonifacio', 'San Antonio', 'Magsaysay', 'Santo Tomas', 'Burgos', 'Del Pilar', 'Calumpang', 'Maligaya', 'Bagumbayan', 'San Miguel', 'Tagumpay', 'Dapdap', 'Cabuyao', 'Lumbia', 'Pag-asa', 'Bañadero', 'Dalig', 'Talisay', 'Mabuhay'],
  office: ['Municipal Health Office', 'Provincial Engineering Office', 'City Social Welfare and Development Office', 'Municipal Agriculture Office', 'Rural Health Unit', 'General Services Office', 'Office of the Mayor', 'Municipal Disaster Risk Reduction and Management Office', 'Schools Division Office', 'Regional Office', 'Provincial Hospital', 'Sangguniang Panlalawigan', 'City Treasurer\'s Office', 'Municipal Engineering Office', 'Human Resource Management Office'],
  hospital: ['the Provincial Hospital', 'the District Hospital', 'the Rural Health Unit', 'the Regional Medical Center', 'the City Health Office', 'the Municipal Health Office', 'the Barangay Health Stations'],
  school: ['public elementary schools', 'the Schools Division', 'national high schools', 'the State University', 'day care centers', 'the College of Engineering'],
  event: ['the seminar-workshop on disaster preparedness', 'the Municipal Development Council meeting', 'the Nutrition Month celebration', 'the barangay health workers training', 'the Teachers\' Day celebration', 'the Provincial Athletic Meet', 'the Regional Planning Workshop', 'the Women\'s Month celebration', 'the Senior Citizens\' Day', 'the Mid-Year Performance Review', 'the Founding Anniversary', 'the Gender and Development orientation'],
  beneficiaries: ['indigent families', 'typhoon-affected families', 'the supplementary feeding program', 'senior citizens', 'day care children', 'flood victims', 'the Pantawid Pamilya beneficiaries'],
  vehicle: ['service vehicles', 'the ambulance', 'dump trucks', 'the fire truck', 'patrol cars', 'the backhoe', 'motorcycles', 'the rescue van'],
  river: ['Pampanga River', 'Cagayan River', 'Abra River', 'Agno River', 'Bicol River', 'Agusan River', 'Pasig River', 'Marikina River', 'Jalaur River', 'Pulangi River', 'Magat River', 'Chico River'],
  road: ['barangay road', 'farm-to-market road', 'municipal road', 'provincial road', 'access road', 'diversion road', 'national road'],
  lot: ['1', '2', '3', '4', '5'],
};

const construction: Vocabulary = {
  templates: [
    'Construction of {road}, Barangay {brgy}, {place}',
    'Concreting of barangay road at {brgy}, {place}',
    'Concreting of {road} phase {lot}, {place}',
    'Rehabilitation of flood control structure along {river}, {place}',
    'Construction of flood control and drainage system, Barangay {brgy}, {place}',
    'Improvement of farm-to-market road, {brgy}, {place}',
    'Construction of two-storey school building, {place}',
    'Construction of multi-purpose covered court, Barangay {brgy}',
    'Repair of multi-purpose building, Barangay {brgy}, {place}',
    'Construction of slope protection along {road}, {place}',
    'Construction of bridge at Barangay {brgy}, {place}',
    'Construction of level II water system, Barangay {brgy}',
    'Asphalt overlay of {road}, {place}',
    'Construction of barangay health station, {brgy}, {place}',
    'Widening of national road, {place}',
    'Construction of seawall, Barangay {brgy}, {place}',
  ],
};

/** Specific vocabularies; the first whose pattern matches the category name wins. */
export const CATEGORY_VOCABULARIES: { match: RegExp; vocabulary: Vocabulary }[] = [
  { match: /^(Construction Projects|General Contractor)$/, vocabulary: construction },
  { match: /^Construction Materials|^Hardware and Construction/, vocabulary: { templates: ['Supply and delivery of {item} for the concreting of barangay road, {brgy}', 'Purchase of construction materials for the repair of {road}, {place}', 'Supply and delivery of {item} for the {office}'], lists: { item: ['cement and reinforcing steel bars', 'gravel and sand', 'hollow blocks', 'lumber and plywood', 'GI sheets and roofing materials', 'construction materials', 'hardware supplies', 'paint and painting materials'] } } },
  { match: /^Office Supplies/, vocabulary: { templates: ['Supply and delivery of office supplies for the {office}', 'Procurement of {item} for CY {year}', 'Supply and delivery of {item} for the {office}', 'Purchase of common-use office supplies, {place}', '{item}'], lists: { item: ['bond paper', 'ballpens and folders', 'office supplies', 'common-use supplies', 'expendable office supplies', 'record books and logbooks', 'storage boxes', 'ballpen and brown envelope long', 'fastener and paper clips', 'continuous forms', 'sign pens', 'school supplies'] } } },
  { match: /^(Office Equipment Supplies and Consumables|Printing Supplies|Office Equipment Parts)/, vocabulary: { templates: ['Supply and delivery of toner cartridges for the {office}', 'Procurement of ink and toner cartridges for CY {year}', 'Supply and delivery of printer consumables and drum units', 'Supply and delivery of photocopier toner and parts for the {office}'] } },
  { match: /^Drugs and Medicines/, vocabulary: { templates: ['Procurement of drugs and medicines for {hospital}', 'Supply and delivery of drugs and medicines for the {office}', 'Procurement of {drug} for {hospital}', 'Purchase of drugs and medicines for indigent patients, {place}', 'Supply and delivery of {drug}', 'Procurement of various medicines, {place}', '{drug}'], lists: { drug: ['vaccines and essential medicines', 'antibiotics', 'maintenance medicines', 'anti-rabies vaccine', 'rabies vaccine for human', 'insulin', 'paracetamol syrup', 'amoxicillin capsules', 'anti-TB drugs', 'oral rehydration salts', 'vitamin A capsules', 'anesthetic drugs', 'IV fluids', 'losartan tablets', 'metformin tablets', 'emergency drugs'] } } },
  { match: /^Medical Supplies/, vocabulary: { templates: ['Procurement of medical supplies for {hospital}', 'Supply and delivery of {item} for {hospital}', 'Purchase of medical and laboratory supplies, {place}'], lists: { item: ['syringes and surgical gloves', 'surgical masks and PPE', 'gauze and bandages', 'laboratory reagents', 'dialysis supplies', 'oxygen tanks and regulators'] } } },
  { match: /^Catering Services/, vocabulary: { templates: ['Catering services for {event}', 'Meals and snacks for {event}', 'Catering services for the {office} activities for CY {year}', 'Provision of meals for {beneficiaries}'] } },
  { match: /^(Hotel and Lodging|Travel, Food, Lodging)/, vocabulary: { templates: ['Board and lodging for {event}', 'Venue, meals and accommodation for {event}', 'Hotel accommodation for the participants of {event}', 'Airline tickets and accommodation for the {office} personnel'] } },
  { match: /^Food Stuff|^Grocery Items|^Packed Food|^Preserved/, vocabulary: { templates: ['Supply and delivery of food packs for {beneficiaries}', 'Procurement of rice for {beneficiaries}', 'Supply and delivery of grocery items for {beneficiaries}', 'Purchase of food supplies for the {office}'] } },
  { match: /^Fuels/, vocabulary: { templates: ['Supply and delivery of diesel and gasoline for {vehicle} of the {office}', 'Fuel, oil and lubricants for {vehicle}, CY {year}', 'Procurement of fuel for {vehicle}'] } },
  { match: /^Information Technology|^IT Broadcasting|^Systems Integration|^Structured Cabling/, vocabulary: { templates: ['Procurement of laptop computers and printers for the {office}', 'Supply and delivery of ICT equipment for {school}', 'Development of an information system for the {office}', 'Supply, delivery and installation of network equipment, {place}', 'Subscription to software licenses for CY {year}'] } },
  { match: /^Vehicle Repair|^General Repair/, vocabulary: { templates: ['Repair and maintenance of {vehicle} of the {office}', 'Repair of {vehicle}', 'Repair and maintenance of the {office} building, {place}'] } },
  { match: /^Vehicle Parts/, vocabulary: { templates: ['Supply and delivery of tires and batteries for {vehicle}', 'Procurement of spare parts for {vehicle}', 'Purchase of vehicle parts and accessories for the {office}'] } },
  { match: /^Vehicles$/, vocabulary: { templates: ['Procurement of one (1) unit {item} for the {office}', 'Purchase of {item}, {place}'], lists: { item: ['ambulance', 'dump truck', 'pick-up truck', 'patrol car', 'multicab', 'service vehicle', 'school bus', 'garbage compactor truck'] } } },
  { match: /^Printing Services|^Reproduction/, vocabulary: { templates: ['Printing of {item} for the {office}', 'Printing and binding of {item}, CY {year}'], lists: { item: ['learning modules', 'IEC materials', 'tarpaulins', 'accountable forms', 'official receipts', 'annual reports', 'certificates'] } } },
  { match: /^Agricultural Products|^Fertilizers|^Agricultural Chemicals/, vocabulary: { templates: ['Supply and delivery of {item} for rice farmers of {place}', 'Procurement of {item} for the {office}'], lists: { item: ['certified rice seeds', 'hybrid corn seeds', 'vegetable seeds', 'fruit-bearing tree seedlings', 'urea and complete fertilizer', 'organic fertilizer', 'coconut seedlings'] } } },
  { match: /^Agricultural Machinery/, vocabulary: { templates: ['Supply and delivery of {item} for farmers\' associations, {place}'], lists: { item: ['hand tractors', 'rice combine harvesters', 'water pumps', 'four-wheel drive tractors', 'rice threshers', 'corn shellers'] } } },
  { match: /^Water Service Connection|^Water and Waste Water/, vocabulary: { templates: ['Supply and delivery of water service connection materials, {place}', 'Supply and delivery of pipes and fittings for the water system of Barangay {brgy}', 'Procurement of water meters and fittings'] } },
  { match: /^(Medical and Dental|Hospital \/ Medical Equipment|Radiological)/, vocabulary: { templates: ['Procurement of {item} for {hospital}', 'Supply, delivery and installation of {item}, {place}'], lists: { item: ['dental chairs', 'hospital beds', 'an X-ray machine', 'ultrasound machines', 'patient monitors', 'hemodialysis machines', 'a CT scan machine'] } } },
  { match: /^Janitorial Services|^Security Services|^Pest Control Services|^Laundry/, vocabulary: { templates: ['{cat} for the {office} for CY {year}', 'Procurement of {catLower} for {hospital}'] } },
  { match: /^Consulting Services|^Architectural Design|^Construction Management|^General Engineering/, vocabulary: { templates: ['Consulting services for the detailed engineering design of flood control structures, {place}', 'Consulting services for the feasibility study of the {road} project, {place}', 'Detailed architectural and engineering design of the {office} building', 'Construction supervision services for the {road} improvement, {place}'] } },
  { match: /^Lease and Rental/, vocabulary: { templates: ['Lease of office space for the {office}, CY {year}', 'Rental of heavy equipment for road maintenance, {place}', 'Lease of venue for {event}'] } },
  { match: /^Furniture|^Computer Furniture/, vocabulary: { templates: ['Supply and delivery of school desks and armchairs for {school}', 'Supply and delivery of office furniture for the {office}'] } },
  { match: /^(Electrical Systems|Electrical Supplies)/, vocabulary: { templates: ['Supply and installation of solar street lights, Barangay {brgy}, {place}', 'Supply and delivery of electrical supplies for the {office}', 'Supply and installation of LED lighting fixtures, {place}'] } },
  { match: /^Events Management/, vocabulary: { templates: ['Events management services for {event}', 'Hiring of an events management company for {event}'] } },
  { match: /^Live Animals|^Animal Feeds|^Veterinary/, vocabulary: { templates: ['Procurement of {item} for the livestock dispersal program, {place}', 'Supply and delivery of {item} for the {office}'], lists: { item: ['carabaos', 'goats', 'swine', 'native chickens', 'tilapia fingerlings', 'animal feeds', 'veterinary drugs and biologics'] } } },
  { match: /^Construction Equipment/, vocabulary: { templates: ['Procurement of one (1) unit {item} for the {office}'], lists: { item: ['hydraulic excavator', 'backhoe loader', 'road grader', 'road roller', 'dump truck', 'bulldozer'] } } },
  { match: /^Waste Management/, vocabulary: { templates: ['Hauling and disposal of garbage of {place}', 'Construction of materials recovery facility, Barangay {brgy}', 'Closure and rehabilitation of the dumpsite, {place}'] } },
  { match: /^Well Drilling/, vocabulary: { templates: ['Drilling of deep well, Barangay {brgy}, {place}', 'Construction of deep well water source, {place}'] } },
];

// Fallbacks keyed by words of the category name, so every one of the 170 categories
// gets titles that contain its own words ({cat} is its name, {catLower} lower-cased).
export const GENERIC_VOCABULARIES: { match: RegExp; vocabulary: Vocabulary }[] = [
  { match: /Services?\b/i, vocabulary: { templates: ['{cat} for the {office}', 'Procurement of {catLower} for CY {year}', 'Hiring of {catLower}, {place}'] } },
  { match: /Equipment|Machinery|Instruments?|Systems/i, vocabulary: { templates: ['Supply and delivery of {catLower} for the {office}', 'Procurement of {catLower}, {place}'] } },
  { match: /Parts|Accessories|Accesories/i, vocabulary: { templates: ['Supply and delivery of {catLower} for the {office}', 'Purchase of {catLower} for {vehicle}'] } },
  { match: /./, vocabulary: { templates: ['Supply and delivery of {catLower} for the {office}', 'Procurement of {catLower}, {place}', 'Purchase of {catLower} for CY {year}'] } },
];
