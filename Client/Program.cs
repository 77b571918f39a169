using System.CommandLine;
using ReliableRpc.Client.Commands;

var root = new RootCommand("ReliableRpc client: calls, load, the demo and chunked uploads against a ReliableRpc silo cluster.");
CommonOptions.AddTo(root);
root.Subcommands.Add(CallCommand.Create());
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ReconcileCommand.Create());
root.Subcommands.Add(ProbeCommand.Create());
root.Subcommands.Add(UploadCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
root.Subcommands.Add(CertsCommand.Create());
return await root.Parse(args).InvokeAsync();
