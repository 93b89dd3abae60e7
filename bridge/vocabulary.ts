/**
 * Maps the EUCAIM search codes onto what DICOM headers really hold. Headers are free text in
 * practice (`Pelvis^Masculin`, `GE MEDICAL SYSTEMS`), so matching normalises instead of comparing.
 */
export const FILTER_KEYS = {
  gender: 'SNOMEDCT263495000',
  modality: 'RID10311',
  bodyPart: 'SNOMEDCT123037004',
  manufacturer: 'C25392',
} as const;

const MODALITY_CODES: Record<string, string> = {
  MR: 'RID10312',
  PT: 'RID10337',
  NM: 'RID10334', // SPECT is stored as nuclear medicine
  CT: 'RID10321',
};

export function modalityCodes(dicomModality: string): string[] {
  const code = MODALITY_CODES[dicomModality.trim().toUpperCase()];
  return code ? [code] : [];
}

export function genderCode(dicomPatientSex: string): string {
  switch (dicomPatientSex.trim().toUpperCase()) {
    case 'M':
      return 'SNOMEDCT248153007';
    case 'F':
      return 'SNOMEDCT248152002';
    case 'O':
      return 'SNOMEDCT74964007';
    default:
      return 'SNOMEDCT261665006';
  }
}

// Words seen in BodyPartExamined across sites and languages. CHEST/TORAX count as lung because
// that is how the thorax of lung-cancer studies is labelled; ABDOMEN maps to nothing on purpose.
const BODY_PART_WORDS: Record<string, string> = {
  BREAST: 'SNOMEDCT76752008',
  MAMA: 'SNOMEDCT76752008',
  MAMMA: 'SNOMEDCT76752008',
  SEIN: 'SNOMEDCT76752008',
  BRUST: 'SNOMEDCT76752008',
  COLON: 'SNOMEDCT71854001',
  LUNG: 'SNOMEDCT39607008',
  CHEST: 'SNOMEDCT39607008',
  TORAX: 'SNOMEDCT39607008',
  THORAX: 'SNOMEDCT39607008',
  PULMON: 'SNOMEDCT39607008',
  PELVIS: 'SNOMEDCT12921003',
  BASSIN: 'SNOMEDCT12921003',
  PROSTATE: 'SNOMEDCT41216001',
  PROSTATA: 'SNOMEDCT41216001',
};

export function bodyPartCodes(text: string): string[] {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z]+/);
  return [...new Set(words.map((w) => BODY_PART_WORDS[w]).filter((c): c is string => !!c))];
}

export function manufacturerCodes(text: string): string[] {
  const t = text.toLowerCase();
  const codes: string[] = [];
  // "Siemens Healthineers" is also Siemens: asking for Siemens must find it.
  if (t.includes('siemens')) codes.push('birnlex_3066');
  if (t.includes('healthineers')) codes.push('C200140');
  if (/^ge\b|general electric|\bge (medical|healthcare)/.test(t)) codes.push('birnlex_12833');
  if (t.includes('philips')) codes.push('birnlex_3065');
  // Toshiba Medical became Canon Medical Systems; sites label the same scanners either way.
  if (t.includes('toshiba') || t.includes('canon medical')) codes.push('birnlex_3067');
  return codes;
}
