import { describe, expect, it } from 'vitest';
import { holdsGroup, parseGroupEntitlement } from './entitlements.ts';

const EUCAIM = 'urn:geant:lifescience-ri.eu:group:lifescience:communities_and_projects:EUCAIM#aai.lifescience-ri.eu';
const wanted = (s: string) => {
  const parsed = parseGroupEntitlement(s);
  if (!parsed) throw new Error(`not a group entitlement: ${s}`);
  return parsed;
};

describe('AARC-G002 group entitlements', () => {
  it('splits namespace, group path, role and authority', () => {
    expect(
      parseGroupEntitlement('urn:geant:lifescience-ri.eu:group:examplegroup:examplesubgroup:role=manager#perun.pilots.lifescienceid.org'),
    ).toEqual({
      namespace: 'urn:geant:lifescience-ri.eu',
      path: ['examplegroup', 'examplesubgroup'],
      role: 'manager',
      authority: 'perun.pilots.lifescienceid.org',
    });
    expect(parseGroupEntitlement('urn:mace:egi.eu:group:vo.example.eu')).toEqual({ namespace: 'urn:mace:egi.eu', path: ['vo.example.eu'] });
  });

  it.each([
    ['free text', 'EUCAIM'],
    ['a resource capability, not a group', 'urn:geant:lifescience-ri.eu:res:EUCAIM#aai.lifescience-ri.eu'],
    ['no group name', 'urn:geant:lifescience-ri.eu:group:#aai.lifescience-ri.eu'],
    ['an empty subgroup', 'urn:geant:lifescience-ri.eu:group:a::b#aai.lifescience-ri.eu'],
    ['an empty role', 'urn:geant:lifescience-ri.eu:group:a:role=#aai.lifescience-ri.eu'],
    ['an empty authority', 'urn:geant:lifescience-ri.eu:group:a#'],
    ['no namespace', 'urn:group:a#x'],
  ])('refuses %s', (_case, value) => {
    expect(parseGroupEntitlement(value)).toBeUndefined();
  });

  describe.each([
    ['the group itself', EUCAIM, true],
    ['the group with a role', EUCAIM.replace('#', ':role=manager#'), true],
    [
      'the namespace and authority in other case',
      EUCAIM.replace('lifescience-ri.eu:group', 'LifeScience-RI.eu:group').replace('#aai', '#AAI'),
      true,
    ],
    ['a subgroup only', EUCAIM.replace('#', ':admins#'), false],
    ['the parent group only', 'urn:geant:lifescience-ri.eu:group:lifescience:communities_and_projects#aai.lifescience-ri.eu', false],
    ['the group name in other case', EUCAIM.replace('EUCAIM', 'eucaim'), false],
    ['another authority', EUCAIM.replace('#aai.lifescience-ri.eu', '#perun.example.org'), false],
    ['no authority', EUCAIM.replace('#aai.lifescience-ri.eu', ''), false],
    ['another namespace', EUCAIM.replace('urn:geant:lifescience-ri.eu', 'urn:geant:elixir-europe.org'), false],
    ['the string as a prefix of something else', `${EUCAIM}x`, false],
  ])('a user holding %s', (_case, held, member) => {
    it(`is ${member ? '' : 'not '}a member of the EUCAIM group`, () => {
      expect(holdsGroup([held], wanted(EUCAIM))).toBe(member);
    });
  });

  it('requires the role when the wanted entitlement names one', () => {
    const managers = wanted(EUCAIM.replace('#', ':role=manager#'));
    expect(holdsGroup([EUCAIM], managers)).toBe(false);
    expect(holdsGroup([EUCAIM.replace('#', ':role=member#')], managers)).toBe(false);
    expect(holdsGroup(['garbage', EUCAIM.replace('#', ':role=manager#')], managers)).toBe(true);
  });
});
