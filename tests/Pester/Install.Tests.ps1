# Installing as a user would, offline: the Package task packs the module, PSResourceGet installs it from a temporary
# local repository into an empty module path, and a fresh process imports it by name and reads the sandbox. Catches a
# file missing from the package, a wrong manifest entry, or help that did not ship.
BeforeDiscovery {
    $script:noPSResourceGet = -not (Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:powershell = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $script:version = (Import-PowerShellDataFile $ModulePath).ModuleVersion

    # Packs the built module in a fresh process, as a developer would (without rebuilding it: this process has it loaded).
    $root = Join-Path $PSScriptRoot '../..'
    $package = Join-Path $root "out/WeComPS.$version.nupkg"
    Remove-Item $package -ErrorAction SilentlyContinue
    & $powershell -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') -Task Package -NoBuild | Out-Null
    if ($LASTEXITCODE) { throw "build.ps1 -Task Package failed with exit code $LASTEXITCODE." }

    $feed = Join-Path $TestDrive 'feed'
    $script:modules = Join-Path $TestDrive 'modules'
    New-Item -ItemType Directory $feed, $modules | Out-Null
    Copy-Item $package $feed
    Import-Module Microsoft.PowerShell.PSResourceGet
    $script:repository = "WeComPS-test-$([guid]::NewGuid().ToString('N'))"
    Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
    Save-PSResource -Name WeComPS -Version $version -Repository $repository -Path $modules -TrustRepository -Quiet

    # A fresh process that sees only the installed module and PowerShell's own.
    $script:fresh = {
        param($Script)
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes('$ErrorActionPreference = "Stop"; ' + $Script + ' | ConvertTo-Json -Compress -Depth 3'))
        $saved = $env:PSModulePath
        try {
            $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
            $output = & $powershell -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
        }
        finally { $env:PSModulePath = $saved }
        if ($LASTEXITCODE) { throw "The process failed ($LASTEXITCODE): $output" }
        ($output | Out-String) | ConvertFrom-Json
    }
}

AfterAll {
    if ($repository) { Unregister-PSResourceRepository -Name $repository }
}

Describe 'WeComPS installed from its package' -Tag CI -Skip:$noPSResourceGet {
    It 'installs as WeComPS <version> with its DLLs, dependencies, precompiled code, format file and help' {
        $installed = Join-Path $modules "WeComPS/$version"
        $files = 'WeComPS.psd1', 'WeComPS.dll', 'WeComPS.Loader.dll', 'WeComPS.Core.dll', 'WeComPS.Sandbox.dll', 'WeComPS.format.ps1xml', 'LICENSE',
            'en-US/WeComPS.dll-Help.xml', 'en-US/about_WeComPS.help.txt', 'zh-CN/WeComPS.dll-Help.xml', 'dependencies/System.Text.Json.dll', 'dependencies/Microsoft.Extensions.Caching.Memory.dll'
        # Every precompiled image the build made (a Release build; Debug makes none).
        $built = (Resolve-Path (Split-Path $ModulePath)).Path
        $files += Get-ChildItem (Join-Path $built 'precompiled') -Recurse -File -ErrorAction Ignore | ForEach-Object { $_.FullName.Substring($built.Length + 1) }
        foreach ($file in $files) {
            Join-Path $installed $file | Should -Exist
        }
        # The help's sources stay in the repository.
        Get-ChildItem $installed -Recurse -Filter *.md | Should -BeNullOrEmpty
    }

    It 'imports by name in a fresh process and reads the sandbox' {
        $result = & $fresh @'
Import-Module WeComPS
$module = Get-Module WeComPS
Connect-WeCom -Sandbox | Out-Null
$user = Get-WeComUser -UserId ZhangSan
[pscustomobject]@{
    Base = $module.ModuleBase; Version = "$($module.Version)"; Cmdlets = $module.ExportedCmdlets.Count
    Name = $user.Name; Departments = @(Get-WeComDepartment).Count
    Views = @((Get-FormatData -TypeName WeComPS.WeComUser).FormatViewDefinition).Count
}
'@
        $result.Base | Should -BeLike (Join-Path $modules '*')
        $result.Version | Should -Be $version
        $result.Cmdlets | Should -Be (Import-PowerShellDataFile $ModulePath).CmdletsToExport.Count
        $result.Name | Should -Be '张三'
        $result.Departments | Should -BeGreaterThan 1
        # The format file shipped and is loaded.
        $result.Views | Should -BeGreaterThan 0
    }

    It 'speaks Chinese under zh-CN and English otherwise, from the installed DLLs alone' {
        $result = & $fresh @'
Import-Module WeComPS
Connect-WeCom -Sandbox | Out-Null
$said = foreach ($culture in 'zh-CN', 'en-US') {
    [System.Globalization.CultureInfo]::CurrentUICulture = $culture
    Get-WeComUser -UserId nobody -ErrorAction SilentlyContinue -ErrorVariable e
    $e[0].ErrorDetails.Message
}
[pscustomobject]@{ Id = $e[0].FullyQualifiedErrorId; Chinese = $said[0] -like '*企业微信错误 60111（userid 不存在）*'; English = $said[1] -like '*WeCom error 60111 (userid not found)*' }
'@
        $result.Id | Should -BeLike 'UserNotFound,*'
        $result.Chinese | Should -BeTrue
        $result.English | Should -BeTrue
    }

    It 'ships its help: Get-Help has the authored text and the about topic' {
        $result = & $fresh @'
Import-Module WeComPS
$help = Get-Help Get-WeComUser -Full
[pscustomobject]@{
    Synopsis = $help.Synopsis; Examples = @($help.examples.example).Count
    Parameter = ($help.parameters.parameter | Where-Object name -eq 'UserId').description.Text -join ' '
    About = (Get-Help about_WeComPS | Out-String)
}
'@
        # Without the MAML, the synopsis is the syntax PowerShell makes up.
        $result.Synopsis | Should -Not -BeNullOrEmpty
        $result.Synopsis | Should -Not -Match '^\s*Get-WeComUser '

        $result.Examples | Should -BeGreaterThan 0
        $result.Parameter | Should -Not -BeNullOrEmpty
        $result.About | Should -Match 'WeComPS'
    }
}
