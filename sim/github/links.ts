/** URL builders. The sim's base URL stands in for both api.github.com and github.com. */
export class Links {
  constructor(
    readonly base: string,
    readonly owner: string,
    readonly repo: string,
  ) {}

  api(path: string): string {
    return `${this.base}${path}`;
  }

  web(path: string): string {
    return `${this.base}${path}`;
  }

  repoApi(suffix = ''): string {
    return this.api(`/repos/${this.owner}/${this.repo}${suffix}`);
  }

  repoWeb(suffix = ''): string {
    return this.web(`/${this.owner}/${this.repo}${suffix}`);
  }
}
