import { RunInputSchema, problemsOf, FleetInputSchema } from '../src/shared/input';
console.log(problemsOf(RunInputSchema, { profile: 'prisma', databaseId: 'db x', apiToken: 'x', poll: { deadlineMs: 5, foo: 1 }, holdWindowMs: 4*3600000, restore: false, backupLabel: 'l', verify: { sql: 'DELETE FROM x' } }));
console.log(problemsOf(RunInputSchema, {}));
console.log(problemsOf(RunInputSchema, { profile: 'seed', databaseId: 'db_1' }));
console.log(problemsOf(FleetInputSchema, { profile: 'seed', action: 'drill' }));
