// `npm run start:api`: the API process alone (run several behind a load balancer in
// production; workers run separately with `npm run worker`). The sequence is the one
// `npm start` uses too (server/startup.ts).
import { main } from './server/startup.js';

main({
  loggerName: 'api',
  title: 'The API',
  readyMessage: (url) => `Kontrata API ready: GraphQL and GraphiQL at ${url}`,
  stoppingMessage: (signal) => `${signal}: stopping the API...`,
});
