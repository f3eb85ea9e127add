import { describe, expect, it } from 'vitest';
import { fillNameTemplate, formFieldPaths, nameTemplate, tidyBrand, validateBrand } from './brand';
import { brand } from '../test-utils/fixtures';

describe('validateBrand', () => {
  it('accepts the starter brand voice', () => {
    expect(validateBrand(brand())).toEqual({});
  });

  it('reports required fields, duplicate hosts and the 1–180 minute range by field path', () => {
    const b = brand();
    b.name = ' ';
    b.hosts[1]!.name = 'alex';
    b.intro_line = '';
    b.target_minutes = 181;
    expect(Object.keys(validateBrand(b))).toEqual(['name', 'hosts[1].name', 'intro_line', 'target_minutes']);
    b.target_minutes = 0;
    expect(validateBrand(b).target_minutes).toBe('Target length must be between 1 and 180 minutes.');
    b.target_minutes = 180;
    expect(validateBrand(b).target_minutes).toBeUndefined();
  });

  it('treats an empty minutes box as out of range', () => {
    const b = brand();
    (b as unknown as { target_minutes: null }).target_minutes = null;
    expect(validateBrand(b).target_minutes).toBeDefined();
  });
});

describe('name templates', () => {
  it('lets the starter intro follow the typed name', () => {
    const template = nameTemplate('Welcome to New show.', 'New show');
    expect(template).toBe('Welcome to {name}.');
    expect(fillNameTemplate(template!, 'E2E Weekly', 'New show')).toBe('Welcome to E2E Weekly.');
    expect(fillNameTemplate(template!, '  ', 'New show')).toBe('Welcome to New show.');
    expect(nameTemplate('Hello there.', 'New show')).toBeNull();
  });
});

describe('tidyBrand and formFieldPaths', () => {
  it('drops empty list entries so backend indices match the rows shown', () => {
    const b = brand();
    b.forbidden_phrases = ['', ' game changer ', '  '];
    const tidy = tidyBrand(b);
    expect(tidy.forbidden_phrases).toEqual(['game changer']);
    expect(formFieldPaths(tidy).has('forbidden_phrases[0]')).toBe(true);
    expect(formFieldPaths(tidy).has('forbidden_phrases[1]')).toBe(false);
    expect(formFieldPaths(tidy).has('hosts[1].voice')).toBe(true);
  });
});
