/* eslint-disable @backstage/no-undeclared-imports */
/*
 * Test helpers for scaffolder actions: an action's context from the upstream createMockActionContext,
 * with a checkpoint store that keeps what a checkpoint returned, as the scaffolder keeps it in the
 * task's state: a second run with the same store is a task recovered after a restart.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { CheckpointContext } from '@backstage/plugin-scaffolder-node/alpha';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import yaml from 'yaml';

/** A task's checkpoints: a successful checkpoint's value is kept and returned on the next run. */
export function checkpointStore() {
  const values = new Map<string, JsonValue>();
  return {
    values,
    async checkpoint<T extends JsonValue | void>(
      opts: CheckpointContext<T>,
    ): Promise<T> {
      if (values.has(opts.key)) return values.get(opts.key) as T;
      const value = await opts.fn();
      values.set(opts.key, (value ?? {}) as JsonValue);
      return value;
    },
  };
}

/** Runs `action` as `user` with `input` (defaults included: the mock does not apply them). */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: JsonObject,
  options: {
    store: ReturnType<typeof checkpointStore>;
    user?: string;
    dryRun?: boolean;
    /** The task's workspace (default: the mock's empty temporary folder). */
    workspacePath?: string;
    /** The template the task runs (templateInfo.entityRef; default none). */
    templateRef?: string;
  },
) {
  const logger = mockServices.logger.mock();
  const outputs: Record<string, unknown> = {};
  const ctx = {
    ...createMockActionContext({
      input,
      logger,
      ...(options.workspacePath
        ? { workspacePath: options.workspacePath }
        : {}),
      ...(options.templateRef
        ? { templateInfo: { entityRef: options.templateRef } }
        : {}),
    }),
    checkpoint: options.store.checkpoint,
    isDryRun: options.dryRun ?? false,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    getInitiatorCredentials: async () =>
      mockCredentials.user(`user:default/${options.user ?? 'dev'}`),
  };
  const log = () =>
    (logger.info as jest.Mock).mock.calls.map(c => String(c[0])).join('\n');
  try {
    await action.handler(ctx as any);
  } catch (error) {
    return { outputs, log: log(), error: error as Error };
  }
  return { outputs, log: log(), error: undefined };
}

/**
 * Each of the action's examples is a step of this action whose input names only fields of the
 * action's input schema, and every required one.
 */
export function exampleSteps(action: TemplateAction<any, any, any>) {
  const schema = action.schema?.input as {
    properties: Record<string, unknown>;
    required?: string[];
  };
  return (action.examples ?? []).map(e => {
    const { steps } = yaml.parse(e.example);
    expect(steps).toHaveLength(1);
    const [step] = steps;
    expect(step.action).toBe(action.id);
    for (const field of Object.keys(step.input))
      expect(Object.keys(schema.properties)).toContain(field);
    for (const field of schema.required ?? [])
      expect(Object.keys(step.input)).toContain(field);
    return { description: e.description, input: step.input };
  });
}
