/*
 * Test helpers: running catalog templates through the real scaffolder's REST API, as dev.
 */
import request from 'supertest';
import { as } from './backend';

type Api = () => ReturnType<typeof request>;

/** Runs a catalog template as dev until it completes or fails; its status, events and task log. */
export async function runTask(api: Api, templateRef: string, values: object) {
  const task = await api()
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', as('dev'))
    .send({ templateRef, values });
  expect(task.status).toBe(201);
  const deadline = Date.now() + 60_000;
  let status: any;
  while (Date.now() < deadline) {
    status = (
      await api()
        .get(`/api/scaffolder/v2/tasks/${task.body.id}`)
        .set('Authorization', as('dev'))
    ).body;
    if (['completed', 'failed'].includes(status.status)) break;
    await new Promise(r => setTimeout(r, 250));
  }
  const events = (
    await api()
      .get(`/api/scaffolder/v2/tasks/${task.body.id}/events`)
      .set('Authorization', as('dev'))
  ).body;
  return {
    status: status.status as string,
    events,
    log: events.map((e: any) => e.body?.message ?? '').join('\n') as string,
  };
}

/** The catalog's template `name`, once the catalog has ingested it. */
export async function catalogTemplate(api: Api, name: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await api()
      .get(`/api/catalog/entities/by-name/template/default/${name}`)
      .set('Authorization', as('dev'));
    if (res.status === 200) return res.body;
    if (Date.now() > deadline)
      throw new Error(`the template ${name} was not ingested`);
    await new Promise(r => setTimeout(r, 250));
  }
}
