/** The custom object the fuzz creates, so that the document's dynamic operations cover custom fields of many types. */
const en = (text: string) => ({ en: text });
const options = (...values: string[]) => values.map((value) => ({ value, labels: en(value) }));

export const CUSTOM_OBJECT = {
  name: 'fuzzThing',
  labels: { singular: en('Fuzz thing'), plural: en('Fuzz things') },
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: en('Title'), required: true },
    { name: 'score', type: 'number', labels: en('Score'), indexed: true },
    { name: 'count', type: 'number', labels: en('Count'), integer: true, rules: [{ rule: 'min', value: 0 }] },
    { name: 'stage', type: 'select', labels: en('Stage'), options: options('new', 'won', 'lost'), indexed: true },
    { name: 'tags', type: 'multiSelect', labels: en('Tags'), options: options('red', 'blue') },
    { name: 'due', type: 'date', labels: en('Due') },
    { name: 'seenAt', type: 'datetime', labels: en('Seen at'), indexed: true },
    { name: 'contact', type: 'email', labels: en('Contact'), unique: true },
    { name: 'done', type: 'boolean', labels: en('Done') },
    { name: 'budget', type: 'currency', labels: en('Budget') },
    { name: 'site', type: 'url', labels: en('Site') },
    { name: 'phone', type: 'phone', labels: en('Phone') },
    { name: 'stars', type: 'rating', labels: en('Stars'), max: 5 },
    { name: 'place', type: 'address', labels: en('Place') },
    { name: 'extra', type: 'json', labels: en('Extra') },
    { name: 'notes', type: 'longText', labels: en('Notes'), rules: [{ rule: 'maxLength', value: 5000 }] },
    { name: 'code', type: 'text', labels: en('Code'), rules: [{ rule: 'regex', pattern: '^[A-Z]{2}-\\d+$' }] },
    { name: 'company', type: 'relation', labels: en('Company'), relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'fuzzThings', labels: en('Fuzz things') } } },
    { name: 'people', type: 'relation', labels: en('People'), relation: { kind: 'manyToMany', target: 'person', attributes: [{ name: 'role', type: 'text', labels: en('Role') }] } },
  ],
  rules: [{ rule: 'requiredWhen', field: 'budget', when: { field: 'stage', in: ['won'] } }],
};

/** A second custom object with no records, which the fuzz may delete without starving the others. */
export const SPARE_OBJECT = {
  name: 'fuzzSpare',
  labels: { singular: en('Spare'), plural: en('Spares') },
  fields: [{ name: 'note', type: 'text', labels: en('Note') }],
};
