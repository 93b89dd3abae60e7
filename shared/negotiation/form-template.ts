// The EUCAIM dataset access application (seed, Annex II) as data: the form every negotiation starts
// with until an admin publishes another definition. Parsed by the same schema admins' forms go
// through, so the template cannot drift from what the hub accepts.
import { type FormDefinition, type FormDefinitionInput, formDefinitionSchema } from './form-definition.ts';

export { type FieldProblem, type FormAnswers, countWords, formAnswersSchema, validateAnswers } from './form-answers.ts';
export { type FormDefinition, formDefinitionSchema, type FormElement, type FormSection, isAnswerable } from './form-definition.ts';

const eucaimApplication: FormDefinitionInput = {
  id: 'eucaim_access_application',
  version: 1,
  title: 'EUCAIM dataset access application',
  sections: [
    {
      id: 'summary',
      title: 'Request summary',
      elements: [{ type: 'request_summary', id: 'requested_datasets', label: 'Datasets requested' }],
    },
    {
      id: 'contact',
      title: 'Contact details',
      elements: [
        { type: 'text', id: 'organisation_name', label: 'Applicant organisation name', required: true },
        { type: 'text', id: 'organisation_acronym', label: 'Organisation acronym', required: true, maxLength: 30 },
        { type: 'text', id: 'pi_title', label: 'Title of the principal investigator', required: true, maxLength: 40 },
        { type: 'text', id: 'pi_name', label: 'Name of the principal investigator', required: true, maxLength: 100 },
        { type: 'text', id: 'pi_surname', label: 'Surname of the principal investigator', required: true, maxLength: 100 },
        { type: 'text', id: 'phone', label: 'Phone number (with country code)', required: true, format: 'phone', maxLength: 30 },
        { type: 'text', id: 'applicant_role', label: 'Role of the applicant in the organisation', required: true, maxLength: 200 },
      ],
    },
    {
      id: 'scientific',
      title: 'Scientific relevance',
      elements: [
        { type: 'text', id: 'use_case_title', label: 'Title of the use case', required: true },
        {
          type: 'textarea',
          id: 'description',
          label: 'General description of the use case',
          help: 'Main objectives, expected results, expected technical and/or clinical impact, methodology.',
          required: true,
          maxWords: 600,
        },
        {
          type: 'number',
          id: 'timeline_months',
          label: 'Expected timeline for the realisation of the use case',
          unit: 'months',
          required: true,
          integer: true,
          min: 1,
          max: 24,
        },
        {
          type: 'textarea',
          id: 'intended_use',
          label: 'Intended use and expected benefit of the EUCAIM data',
          help: 'Include a description of the AI algorithm(s) you wish to train or validate.',
          required: true,
          maxWords: 600,
        },
        { type: 'date', id: 'data_needed_from', label: 'Data needed for processing in a secure environment from', required: true },
        { type: 'date', id: 'data_needed_until', label: 'Data needed until', required: true, notBefore: 'data_needed_from' },
        { type: 'textarea', id: 'scientific_comments', label: 'Additional comments', maxWords: 600 },
      ],
    },
    {
      id: 'ethics_legal',
      title: 'Ethical and legal requirements',
      elements: [
        {
          type: 'single_choice',
          id: 'ethics_approval',
          label: 'Ethics approval',
          required: true,
          choices: [
            { value: 'available', label: 'A certificate of ethics approval by an ethics committee is available for the project' },
            { value: 'applied', label: 'An ethics approval has been applied for' },
            { value: 'no_action', label: 'No action has been taken yet to obtain an ethics approval' },
            { value: 'not_needed', label: 'No approval of an ethics committee is needed according to national law' },
          ],
        },
        { type: 'attachment', id: 'ethics_certificate', label: 'Ethics approval certificate', accept: ['application/pdf'] },
        {
          type: 'single_choice',
          id: 'gdpr',
          label: 'Law obligations (GDPR)',
          required: true,
          choices: [
            { value: 'able', label: 'We are able to demonstrate due diligence in complying with the GDPR' },
            { value: 'working', label: 'We are not yet able to, but are working towards it' },
            { value: 'not_started', label: 'We are not able to and have not started working on it yet' },
            { value: 'not_subject', label: 'The use case is not subject to specific obligations under the GDPR' },
          ],
        },
        {
          type: 'multi_choice',
          id: 'due_diligence',
          label: 'Due diligence can be shown by',
          choices: [
            { value: 'dpo_statement', label: 'A certification or statement issued by our Data Protection Officer' },
            { value: 'dpia_or_audit', label: 'A Data Protection Impact Assessment report or independent audit' },
            { value: 'codes_of_conduct', label: 'Membership of codes of conduct or certification schemes, or equivalent documentation' },
          ],
        },
        {
          type: 'single_choice',
          id: 'medical_device_regulation',
          label: 'Will you apply for certification of the software as a medical device (MDR)?',
          required: true,
          choices: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
            { value: 'n_a', label: 'N/A' },
          ],
        },
        {
          type: 'single_choice',
          id: 'ai_risk_analysis',
          label: 'AI tools validation: AI risk analysis (preferably with the ALTAI tool)',
          required: true,
          choices: [
            { value: 'available', label: 'Already available' },
            { value: 'in_progress', label: 'Not available yet, but we are working towards it' },
            { value: 'not_available', label: 'Not available' },
            { value: 'n_a', label: 'N/A' },
          ],
        },
        {
          type: 'confirmation',
          id: 'legal_compliance',
          label: 'Legal compliance',
          statement:
            'I commit to provide further information and documents about compliance with the legal and ethical requirements, and to sign all relevant agreements.',
          required: true,
        },
        { type: 'textarea', id: 'legal_comments', label: 'Additional comments', maxWords: 600 },
        {
          type: 'confirmation',
          id: 'confidentiality',
          label: 'Confidentiality clause',
          statement:
            'The information disclosed by the applicants is kept confidential and used exclusively for participation in EUCAIM. IPR developed by the applicants is exclusively owned by the applicants.',
          required: true,
        },
      ],
    },
    {
      id: 'confirmation',
      title: 'Confirmation',
      elements: [
        {
          type: 'confirmation',
          id: 'personal_data',
          label: 'Processing of personal data',
          statement:
            'I agree that my personal data in this application is processed electronically for the evaluation of the data access application, and that EUCAIM may share it with its partners for this purpose.',
          required: true,
        },
      ],
    },
    { id: 'overview', title: 'Overview', kind: 'overview', description: 'Check every answer before you submit the application.' },
  ],
};

/** The EUCAIM application form, validated. */
export const eucaimApplicationForm: FormDefinition = formDefinitionSchema.parse(eucaimApplication);
