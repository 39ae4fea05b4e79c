import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  TOOLS,
  ToolName,
  findTool,
  toolVersion,
} from '@internal/plugin-platform-node';

/** One external tool as the backend sees it. */
export interface ToolStatus {
  name: ToolName;
  path?: string;
  source?: 'config' | 'PATH';
  version?: string;
  error?: string;
}

/** Finds every external tool and asks it for its version, once. */
export class ToolInventory {
  private cached?: Promise<ToolStatus[]>;

  constructor(private readonly config: RootConfigService) {}

  list(): Promise<ToolStatus[]> {
    this.cached ??= Promise.all(
      (Object.keys(TOOLS) as ToolName[]).map(name => this.inspect(name)),
    );
    return this.cached;
  }

  private async inspect(name: ToolName): Promise<ToolStatus> {
    try {
      const tool = await findTool(this.config, name);
      return { ...tool, version: await toolVersion(tool) };
    } catch (error) {
      return { name, error: String((error as Error).message ?? error) };
    }
  }
}
