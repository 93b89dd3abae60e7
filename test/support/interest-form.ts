/** A complete expression of interest as the public form sends it; `over` changes single answers. */
export const interestForm = (over: Record<string, unknown> = {}) => ({
  date: '2026-11-25',
  contactPerson: 'Ana Martínez',
  gender: 'female',
  email: 'ana@hospital.example.org',
  telephone: '+34 961 000 000',
  jobTitle: 'Head of Radiology IT',
  organisation: 'Hospital Universitario Ejemplo',
  department: 'Radiology',
  street: 'Avenida 1',
  town: 'Valencia',
  postCode: '46026',
  country: 'Spain',
  interests: ['data_holder', 'ai_tools'],
  capabilities: 'PACS with 2 million studies; a GPU cluster.',
  role: 'data_holder',
  ...over,
});
