// A complete, valid EUCAIM application for the demo and the tests: callers vary one field at a time,
// so every example passes (or fails) the same validator a real submission does.
import type { FormAnswers } from './form-answers.ts';

export function sampleAnswers(over: FormAnswers = {}): FormAnswers {
  return {
    organisation_name: 'Universitat Politècnica de València',
    organisation_acronym: 'UPV',
    pi_title: 'Dr',
    pi_name: 'Ana',
    pi_surname: 'García',
    phone: '+34 963 877 000',
    applicant_role: 'Researcher',
    use_case_title: 'Prostate lesion detection',
    description: 'Detect clinically significant prostate lesions on multiparametric MR.',
    timeline_months: 18,
    intended_use: 'Train and validate a lesion detector.',
    data_needed_from: '2027-01-01',
    data_needed_until: '2027-12-31',
    ethics_approval: 'available',
    gdpr: 'able',
    due_diligence: ['dpo_statement', 'dpia_or_audit'],
    medical_device_regulation: 'no',
    ai_risk_analysis: 'in_progress',
    legal_compliance: true,
    confidentiality: true,
    personal_data: true,
    ...over,
  };
}
